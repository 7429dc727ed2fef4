using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §6.3.2: certificates SHOULD NOT be issued for the full maximum period by default (warning).</summary>
public sealed class CertificateValidityAtMaximum : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.certificate_validity_period_at_maximum";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (ValidityDays.Of(certificate) == 825)
        {
            yield return Warning("the validity period is exactly the 825-day maximum");
        }
    }
}
