using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.6.1: the Legacy generation policy OIDs SHALL NOT be used for certificates issued on or after 2025-07-15.</summary>
public sealed class LegacyGenerationProhibited : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.legacy_generation_certificate_issued_after_prohibition";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        var cutoff = new DateTimeOffset(2025, 7, 15, 0, 0, 0, TimeSpan.Zero);
        var legacy = (CertificateReader.Policies(certificate) ?? [])
            .Select(p => p.PolicyIdentifier.Id)
            .Where(id => id.StartsWith(LintOids.SmimePolicyPrefix, StringComparison.Ordinal) && id.EndsWith(".1", StringComparison.Ordinal));
        foreach (var oid in legacy.Where(_ => context.Now >= cutoff))
        {
            yield return Error($"the Legacy generation policy OID {oid} may not be used on or after 2025-07-15");
        }
    }
}
