using Acme.Validation.Outcomes;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace Acme.Validation.Csr;

/// <summary>Checks a CSR's subject public key against SBR §6.1.5 and §6.1.6.</summary>
internal static class CsrKeyChecker
{
    private static readonly BigInteger MinimumExponent = BigInteger.Two.Pow(16).Add(BigInteger.One);
    private static readonly BigInteger MaximumExponent = BigInteger.Two.Pow(256).Subtract(BigInteger.One);

    public static ValidationOutcome<CheckedKey> Check(SubjectPublicKeyInfo spki, CsrPolicy policy)
    {
        var algorithm = spki.Algorithm.Algorithm;
        if (algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption))
        {
            return CheckRsa(spki, policy);
        }

        if (algorithm.Equals(X9ObjectIdentifiers.IdECPublicKey))
        {
            return CheckEc(spki);
        }

        if (algorithm.Equals(EdECObjectIdentifiers.id_Ed25519))
        {
            // SBR §6.1.5: EdDSA keys; a 32-octet public key.
            if (spki.Algorithm.Parameters is not null)
            {
                return Fail("the Ed25519 key's AlgorithmIdentifier must not carry parameters (RFC 8410 §3)");
            }

            var key = CreateKey(spki, "Ed25519");
            return key.IsSuccess
                ? ValidationOutcome<CheckedKey>.Success(new CheckedKey(key.Value, CsrKeyKind.Ed25519, 256))
                : key.Failure;
        }

        // SBR §6.1.5: nothing else is allowed.
        return Fail($"the CSR's public key type {DescribeAlgorithm(algorithm)} is not accepted; use RSA (2048 bits or more), ECDSA P-256, P-384 or P-521, or Ed25519");
    }

    private static ValidationOutcome<CheckedKey> CheckRsa(SubjectPublicKeyInfo spki, CsrPolicy policy)
    {
        RsaPublicKeyStructure structure;
        try
        {
            structure = RsaPublicKeyStructure.GetInstance(spki.ParsePublicKey());
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or InvalidCastException or IOException)
        {
            return Fail("the CSR's RSA public key is malformed");
        }

        var bits = structure.Modulus.BitLength;

        // SBR §6.1.5: modulus at least 2048 bits and divisible by 8.
        if (bits < policy.MinimumRsaBits)
        {
            return Fail($"the RSA modulus has {bits} bits; at least {policy.MinimumRsaBits} are required (SBR §6.1.5)");
        }

        if (bits % 8 != 0)
        {
            return Fail($"the RSA modulus has {bits} bits, which is not a multiple of 8 (SBR §6.1.5)");
        }

        if (bits > policy.MaximumRsaBits)
        {
            return Fail($"the RSA modulus has {bits} bits; at most {policy.MaximumRsaBits} are accepted");
        }

        // SBR §6.1.6: the public exponent is an odd number >= 3, SHOULD be in [2^16+1, 2^256-1].
        var e = structure.PublicExponent;
        if (!e.TestBit(0))
        {
            return Fail($"the RSA public exponent {e} is even; it must be odd (SBR §6.1.6)");
        }

        if (e.CompareTo(MinimumExponent) < 0 || e.CompareTo(MaximumExponent) > 0)
        {
            return Fail($"the RSA public exponent {e} is outside the range 2^16+1 to 2^256-1 that this CA requires (SBR §6.1.6)");
        }

        var parsed = CreateKey(spki, "RSA");
        if (!parsed.IsSuccess)
        {
            return parsed.Failure;
        }

        return parsed.Value is RsaKeyParameters { IsPrivate: false } rsa
            ? ValidationOutcome<CheckedKey>.Success(new CheckedKey(rsa, CsrKeyKind.Rsa, bits))
            : Fail("the CSR's RSA public key could not be read");
    }

    private static ValidationOutcome<CheckedKey> CheckEc(SubjectPublicKeyInfo spki)
    {
        X962Parameters parameters;
        try
        {
            parameters = X962Parameters.GetInstance(spki.Algorithm.Parameters);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or InvalidCastException)
        {
            return Fail("the CSR's EC key has unreadable curve parameters");
        }

        // SBR §6.1.5: named curves P-256, P-384, P-521 only; explicit parameters are refused.
        if (parameters is null || !parameters.IsNamedCurve)
        {
            return Fail("the CSR's EC key uses explicit or implicit curve parameters; only the named curves P-256, P-384 and P-521 are accepted");
        }

        var curve = parameters.NamedCurve;
        CsrKeyKind kind;
        int bits;
        if (curve.Equals(SecObjectIdentifiers.SecP256r1))
        {
            (kind, bits) = (CsrKeyKind.EcP256, 256);
        }
        else if (curve.Equals(SecObjectIdentifiers.SecP384r1))
        {
            (kind, bits) = (CsrKeyKind.EcP384, 384);
        }
        else if (curve.Equals(SecObjectIdentifiers.SecP521r1))
        {
            (kind, bits) = (CsrKeyKind.EcP521, 521);
        }
        else
        {
            var name = ECNamedCurveTable.GetName(curve) ?? curve.Id;
            return Fail($"the CSR's EC key is on curve {name} ({curve.Id}); only P-256, P-384 and P-521 are accepted (SBR §6.1.5)");
        }

        var parsed = CreateKey(spki, "EC");
        if (!parsed.IsSuccess)
        {
            return parsed.Failure;
        }

        if (parsed.Value is not ECPublicKeyParameters ec)
        {
            return Fail("the CSR's EC public key could not be read");
        }

        // SBR §6.1.6: public key validation (on the curve, not infinity, in the prime-order group). On a curve of
        // cofactor 1, as P-256, P-384 and P-521 are, the group of points has prime order n, so every point of it
        // but infinity has order n: n·Q = O follows, and the scalar multiplication (337 µs per P-256 CSR
        // in BouncyCastle) is only run for another cofactor.
        var q = ec.Q.Normalize();
        if (q.IsInfinity || !q.IsValid() || (!ec.Parameters.H.Equals(BigInteger.One) && !q.Multiply(ec.Parameters.N).IsInfinity))
        {
            return Fail("the CSR's EC public point is not a valid point of the curve");
        }

        return ValidationOutcome<CheckedKey>.Success(new CheckedKey(ec, kind, bits));
    }

    private static ValidationOutcome<AsymmetricKeyParameter> CreateKey(SubjectPublicKeyInfo spki, string type)
    {
        try
        {
            return ValidationOutcome<AsymmetricKeyParameter>.Success(PublicKeyFactory.CreateKey(spki));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or InvalidCastException
                                       or SecurityUtilityException or IOException or FormatException or ArithmeticException)
        {
            return ValidationOutcome<AsymmetricKeyParameter>.Fail(
                FailureKind.BadCsr, $"the CSR's {type} public key is malformed or not a valid key ({ex.Message})");
        }
    }

    private static string DescribeAlgorithm(DerObjectIdentifier oid) => oid.Id switch
    {
        "1.3.101.113" => "Ed448 (1.3.101.113)",
        "1.3.101.110" => "X25519 (1.3.101.110)",
        "1.3.101.111" => "X448 (1.3.101.111)",
        "1.2.840.10040.4.1" => "DSA (1.2.840.10040.4.1)",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS (1.2.840.113549.1.1.10)",
        "1.2.840.10046.2.1" => "Diffie-Hellman (1.2.840.10046.2.1)",
        "1.2.643.2.2.19" or "1.2.643.7.1.1.1.1" or "1.2.643.7.1.1.1.2" => $"GOST ({oid.Id})",
        _ => oid.Id,
    };

    private static ValidationOutcome<CheckedKey> Fail(string detail) =>
        ValidationOutcome<CheckedKey>.Fail(FailureKind.BadCsr, detail);
}
