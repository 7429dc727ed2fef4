using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(b), Strict and Multipurpose: every uniformResourceIdentifier SHALL have the HTTP scheme.</summary>
public sealed class CrlDistributionPointUriScheme : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.crldp_fullname_prohibited_uri_scheme";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        foreach (var uri in CertificateReader.CrlFullNames(certificate).Select(CertificateReader.UriOf).OfType<string>())
        {
            if (!CertificateReader.IsHttp(uri))
            {
                yield return Error($"the CRL distribution point '{uri}' is not an http:// URL");
            }
        }
    }
}
