using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(c): authorityInformationAccess SHOULD be present (warning).</summary>
public sealed class AiaMissing : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.aia_extension_missing";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Extension(certificate, X509Extensions.AuthorityInfoAccess) is null)
        {
            yield return Warning("the authorityInformationAccess extension is absent");
        }
    }
}
