using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §6.1.5: an RSA modulus is at least 2048 bits and a multiple of 8 bits.</summary>
public sealed class RsaModulusInvalidLength : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.rsa_modulus_invalid_length";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.KeyFamily(certificate) != SubjectKeyFamily.Rsa)
        {
            yield break;
        }

        var bits = RsaPublicKeyStructure.GetInstance(certificate.SubjectPublicKeyInfo.ParsePublicKey()).Modulus.BitLength;
        if (bits < 2048 || bits % 8 != 0)
        {
            yield return Error($"the RSA modulus has {bits} bits; it must be at least 2048 and divisible by 8");
        }
    }
}
