using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §6.1.6: the RSA public exponent is odd and at least 3.</summary>
public sealed class RsaExponentProhibitedValue : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.rsa_exponent_prohibited_value";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.KeyFamily(certificate) != SubjectKeyFamily.Rsa)
        {
            yield break;
        }

        var exponent = RsaPublicKeyStructure.GetInstance(certificate.SubjectPublicKeyInfo.ParsePublicKey()).PublicExponent;
        if (!exponent.TestBit(0) || exponent.CompareTo(Org.BouncyCastle.Math.BigInteger.Three) < 0)
        {
            yield return Error($"the RSA public exponent {exponent} is even or less than 3");
        }
    }
}
