using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(a): exactly one reserved S/MIME policy OID; more than one is an error.</summary>
public sealed class MultipleReservedPolicyOids : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.multiple_reserved_policy_oids";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        var reserved = (CertificateReader.Policies(certificate) ?? [])
            .Select(p => p.PolicyIdentifier.Id)
            .Where(id => id.StartsWith(LintOids.SmimePolicyPrefix, StringComparison.Ordinal))
            .ToList();
        if (reserved.Count > 1)
        {
            yield return Error($"{reserved.Count} reserved S/MIME policy OIDs are present ({string.Join(", ", reserved)}); exactly one is allowed");
        }
    }
}
