using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §6.1.6: the RSA public exponent SHOULD lie in [2^16+1, 2^256-1] (warning).</summary>
public sealed class RsaExponentNotInRecommendedRange : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.rsa_exponent_not_in_recommended_range";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.KeyFamily(certificate) != SubjectKeyFamily.Rsa)
        {
            yield break;
        }

        var exponent = RsaPublicKeyStructure.GetInstance(certificate.SubjectPublicKeyInfo.ParsePublicKey()).PublicExponent;
        if (exponent.BitLength < 17 || exponent.CompareTo(Org.BouncyCastle.Math.BigInteger.ValueOf(65537)) < 0 || exponent.BitLength > 256)
        {
            yield return Warning($"the RSA public exponent {exponent} is outside [2^16+1, 2^256-1]");
        }
    }
}
