using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(f): id-kp-emailProtection SHALL be present.</summary>
public sealed class EmailProtectionEkuMissing : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.emailprotection_eku_missing";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.ExtendedKeyUsages(certificate) is { } usages && !usages.Contains(LintOids.EmailProtection))
        {
            yield return Error("extKeyUsage lacks id-kp-emailProtection (1.3.6.1.5.5.7.3.4)");
        }
    }
}
