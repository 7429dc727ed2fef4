using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(c), Strict and Multipurpose: every id-ad-caIssuers and id-ad-ocsp access location SHALL be an HTTP URI.</summary>
public sealed class AiaProhibitedUriScheme : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.aia_prohibited_uri_scheme";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        foreach (var description in CertificateReader.AccessDescriptions(certificate))
        {
            var uri = CertificateReader.UriOf(description.AccessLocation);
            if (!CertificateReader.IsHttp(uri))
            {
                yield return Error($"the {description.AccessMethod.Id} access location '{uri ?? description.AccessLocation.ToString()}' is not an http:// URL");
            }
        }
    }
}
