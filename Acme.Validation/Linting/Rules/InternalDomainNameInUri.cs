using Acme.Validation.Identifiers;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>
/// SBR §7.1.2.3(b), (c): the CRL and CA-issuer URLs are for relying parties on the Internet, so their
/// host must be a public domain name, not an internal one (pkilint <c>cabf.internal_domain_name</c>).
/// A warning only where the operator allowed internal URLs (development, private PKI).
/// </summary>
public sealed class InternalDomainNameInUri : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.internal_domain_name";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context) =>
        UriHosts.Fetched(certificate)
            .Where(u => u.Kind == HostKind.InternalName)
            .Select(u => Finding(context, $"'{u.Uri}' names an internal host that relying parties cannot reach"));

    private LintFinding Finding(LintContext context, string message) =>
        context.AllowInternalNames ? Warning(message) : Error(message);
}
