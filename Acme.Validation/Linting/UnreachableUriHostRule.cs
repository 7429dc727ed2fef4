using Acme.Validation.Identifiers;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting;

/// <summary>
/// SBR §7.1.2.3(b), (c): the CRL and CA-issuer URLs are fetched by relying parties on the Internet, so
/// their host must be reachable there. One rule per kind of unreachable host (pkilint's codes); a
/// warning only where the operator allowed internal URLs (development, private PKI).
/// </summary>
public abstract class UnreachableUriHostRule : LintRule
{
    /// <summary>The kind of host this rule reports.</summary>
    protected abstract HostKind Reported { get; }

    /// <summary>What the host is, in the finding ("an internal host").</summary>
    protected abstract string Described { get; }

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        var crl = CertificateReader.CrlFullNames(certificate).Select(CertificateReader.UriOf);
        var aia = CertificateReader.AccessDescriptions(certificate).Select(d => CertificateReader.UriOf(d.AccessLocation));
        foreach (var uri in crl.Concat(aia).OfType<string>())
        {
            if (Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Host.Length > 0
                && PublicHostNames.Icann.Classify(parsed.Host) == Reported)
            {
                var message = $"'{uri}' names {Described} that relying parties cannot reach";
                yield return context.AllowInternalNames ? Warning(message) : Error(message);
            }
        }
    }
}
