using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(a): certificatePolicies SHALL be present.</summary>
public sealed class CertificatePoliciesMissing : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.certificate_policies_extension_missing";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Extension(certificate, X509Extensions.CertificatePolicies) is null)
        {
            yield return Error("the certificatePolicies extension is absent");
        }
    }
}
