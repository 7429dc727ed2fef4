using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>RFC 5280 §4.2.1.9, SBR §7.1.2.3(e): keyCertSign and cRLSign SHALL NOT be set in a subscriber certificate.</summary>
public sealed class KeyCertSignOnEndEntity : LintRule
{
    /// <inheritdoc />
    public override string Code => "pkix.ee_certificate_keycertsign_keyusage_set";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.KeyUsageBits(certificate) is { } bits && (bits & (KeyUsage.KeyCertSign | KeyUsage.CrlSign)) != 0)
        {
            yield return Error($"keyUsage sets {KeyUsageRows.Describe(bits & (KeyUsage.KeyCertSign | KeyUsage.CrlSign))} in an end-entity certificate");
        }
    }
}
