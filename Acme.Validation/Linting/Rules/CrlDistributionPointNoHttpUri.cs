using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(b): at least one distributionPoint SHALL carry a fullName with an HTTP URI.</summary>
public sealed class CrlDistributionPointNoHttpUri : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.no_http_crldp_uri";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Extension(certificate, X509Extensions.CrlDistributionPoints) is not null
            && !CertificateReader.CrlFullNames(certificate).Select(CertificateReader.UriOf).Any(CertificateReader.IsHttp))
        {
            yield return Error("no CRL distribution point has an http:// fullName URI");
        }
    }
}
