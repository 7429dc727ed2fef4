using Acme.Validation.Identifiers;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>
/// SBR §7.1.2.3(b), (c): a CRL or CA-issuer URL on a loopback, private or documentation address cannot be
/// fetched by relying parties (pkilint <c>cabf.internal_ip_address</c>). A warning only where the
/// operator allowed internal URLs.
/// </summary>
public sealed class InternalIpAddressInUri : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.internal_ip_address";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context) =>
        UriHosts.Fetched(certificate)
            .Where(u => u.Kind == HostKind.ReservedIpAddress)
            .Select(u => Finding(context, $"'{u.Uri}' names a reserved IP address that relying parties cannot reach"));

    private LintFinding Finding(LintContext context, string message) =>
        context.AllowInternalNames ? Warning(message) : Error(message);
}
