using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §6.3.2: Strict and Multipurpose validity is at most 825 days, an excess second counting as a further day.</summary>
public sealed class CertificateValidityTooLong : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.certificate_validity_period_exceeds_825_days";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        var days = ValidityDays.Of(certificate);
        if (days > 825)
        {
            yield return Error($"the validity period is {days} days; the limit is 825");
        }
    }
}
