using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(c): authorityInformationAccess SHOULD contain an id-ad-caIssuers entry (warning).</summary>
public sealed class AiaCaIssuersMissing : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.aia_ca_issuers_missing";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Extension(certificate, X509Extensions.AuthorityInfoAccess) is not null
            && !CertificateReader.AccessDescriptions(certificate).Any(d => d.AccessMethod.Equals(AccessDescription.IdADCAIssuers)))
        {
            yield return Warning("authorityInformationAccess has no id-ad-caIssuers entry");
        }
    }
}
