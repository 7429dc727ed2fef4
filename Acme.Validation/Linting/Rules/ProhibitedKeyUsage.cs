using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(e): only the keyUsage bits of the key type's row (and generation) may be set.</summary>
public sealed class ProhibitedKeyUsage : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.prohibited_ku_present";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.KeyUsageBits(certificate) is not { } bits)
        {
            yield break;
        }

        var allowed = KeyUsageRows.Allowed(CertificateReader.KeyFamily(certificate), context.IsStrict);
        var prohibited = bits & ~allowed;
        if (prohibited != 0)
        {
            yield return Error($"keyUsage sets {KeyUsageRows.Describe(prohibited)}, not allowed for a {CertificateReader.KeyFamily(certificate)} key under {context.Profile.Name}");
        }
    }
}
