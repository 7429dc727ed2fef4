using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(e): the allowed keyUsage bits form a signing, key-management or dual-use combination of the table.</summary>
public sealed class UnknownKeyUsageType : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.unknown_certificate_key_usage_type";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.KeyUsageBits(certificate) is not { } bits)
        {
            yield break;
        }

        var family = CertificateReader.KeyFamily(certificate);
        var relevant = bits & KeyUsageRows.Allowed(family, context.IsStrict);
        if (!KeyUsageRows.IsValidCombination(family, relevant))
        {
            yield return Error($"keyUsage {KeyUsageRows.Describe(bits)} is neither a signing, a key-management nor a dual-use combination for a {family} key");
        }
    }
}
