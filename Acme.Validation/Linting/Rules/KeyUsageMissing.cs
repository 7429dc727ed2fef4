using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(e): keyUsage SHALL be present.</summary>
public sealed class KeyUsageMissing : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.key_usage_extension_missing";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Extension(certificate, X509Extensions.KeyUsage) is null)
        {
            yield return Error("the keyUsage extension is absent");
        }
    }
}
