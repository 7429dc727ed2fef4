using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(e): keyUsage SHOULD be critical (warning).</summary>
public sealed class KeyUsageNotCritical : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.ku_extension_not_critical";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Extension(certificate, X509Extensions.KeyUsage) is { IsCritical: false })
        {
            yield return Warning("the keyUsage extension is not marked critical");
        }
    }
}
