using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §6.1.5, §7.1.3.1: the subject key is RSA, ECDSA on P-256/P-384/P-521 (named curve), Ed25519 or Ed448.</summary>
public sealed class UnsupportedPublicKeyType : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.unsupported_public_key_type";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        var algorithm = certificate.SubjectPublicKeyInfo.Algorithm;
        switch (CertificateReader.KeyFamily(certificate))
        {
            case SubjectKeyFamily.Ec:
                var curve = algorithm.Parameters?.ToAsn1Object() as DerObjectIdentifier;
                if (curve is null || !(curve.Equals(LintOids.P256) || curve.Equals(LintOids.P384) || curve.Equals(LintOids.P521)))
                {
                    yield return Error($"the EC key is not on a named P-256, P-384 or P-521 curve ({algorithm.Parameters?.ToString() ?? "no parameters"})");
                }

                break;
            case SubjectKeyFamily.Other:
                yield return Error($"the public key algorithm {algorithm.Algorithm.Id} is not allowed");
                break;
        }
    }
}
