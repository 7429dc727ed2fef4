using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(a), §7.1.6.1: the reserved policy OID of the profile (Mailbox-validated Strict .1.3 or Multipurpose .1.2) SHALL be present.</summary>
public sealed class NoRequiredReservedPolicyOid : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.no_required_reserved_policy_oid";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        var policies = CertificateReader.Policies(certificate);
        if (policies is not null && !policies.Any(p => p.PolicyIdentifier.Id == context.Profile.PolicyOid))
        {
            yield return Error($"the reserved policy OID {context.Profile.PolicyOid} of profile {context.Profile.Name} is absent");
        }
    }
}
