using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>RFC 5280 §4.1.2.5: notAfter is not before notBefore.</summary>
public sealed class NegativeValidityPeriod : LintRule
{
    /// <inheritdoc />
    public override string Code => "pkix.certificate_negative_validity_period";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (certificate.NotAfter < certificate.NotBefore)
        {
            yield return Error($"notAfter {certificate.NotAfter:O} is before notBefore {certificate.NotBefore:O}");
        }
    }
}
