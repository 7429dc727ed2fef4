using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Acme.Server.Issuance;

/// <summary>Signature algorithm choice and key checks for CA keys (SBR §7.1.3.2).</summary>
internal static class CaSigning
{
    /// <summary>The signature algorithm for a CA private key: the hash tied to the curve for ECDSA.</summary>
    public static string AlgorithmFor(AsymmetricKeyParameter privateKey) => privateKey switch
    {
        ECPrivateKeyParameters ec => ec.Parameters.Curve.FieldSize switch
        {
            // SBR §7.1.3.2.2: P-256 with SHA-256, P-384 with SHA-384, P-521 with SHA-512.
            256 => "SHA256WITHECDSA",
            384 => "SHA384WITHECDSA",
            521 => "SHA512WITHECDSA",
            var size => throw new InvalidOperationException($"the CA's EC key has a {size}-bit curve; only P-256, P-384 and P-521 are allowed"),
        },
        RsaKeyParameters => "SHA256WITHRSA",
        Ed25519PrivateKeyParameters => "Ed25519",
        _ => throw new InvalidOperationException($"the CA key type {privateKey.GetType().Name} is not supported"),
    };

    /// <summary>The CA key's kind, for signing the lint preview with a throwaway key of the same algorithm.</summary>
    public static Acme.Validation.Csr.CsrKeyKind KeyKindOf(AsymmetricKeyParameter privateKey) => privateKey switch
    {
        ECPrivateKeyParameters ec => ec.Parameters.Curve.FieldSize switch
        {
            256 => Acme.Validation.Csr.CsrKeyKind.EcP256,
            384 => Acme.Validation.Csr.CsrKeyKind.EcP384,
            _ => Acme.Validation.Csr.CsrKeyKind.EcP521,
        },
        RsaKeyParameters => Acme.Validation.Csr.CsrKeyKind.Rsa,
        _ => Acme.Validation.Csr.CsrKeyKind.Ed25519,
    };

    public static ISignatureFactory Factory(AsymmetricKeyParameter privateKey, SecureRandom random) =>
        new Asn1SignatureFactory(AlgorithmFor(privateKey), privateKey, random);

    /// <summary>True when a probe signed by <paramref name="signer"/> verifies with <paramref name="publicKey"/>.</summary>
    public static bool SignerMatches(ICaSigner signer, AsymmetricKeyParameter publicKey)
    {
        try
        {
            var message = "key-match probe"u8.ToArray();
            var calculator = signer.CreateSignatureFactory().CreateCalculator();
            using (var stream = calculator.Stream)
            {
                stream.Write(message);
            }

            var signature = calculator.GetResult().Collect();
            var verifier = SignerUtilities.GetSigner(signer.SignatureAlgorithm);
            verifier.Init(false, publicKey);
            verifier.BlockUpdate(message, 0, message.Length);
            return verifier.VerifySignature(signature);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or InvalidKeyException or CryptoException)
        {
            return false;
        }
    }

    /// <summary>True when <paramref name="privateKey"/> signs what <paramref name="publicKey"/> verifies.</summary>
    public static bool KeysMatch(AsymmetricKeyParameter privateKey, AsymmetricKeyParameter publicKey)
    {
        try
        {
            var algorithm = AlgorithmFor(privateKey);
            var message = "key-match probe"u8.ToArray();
            var signer = SignerUtilities.GetSigner(algorithm);
            signer.Init(true, privateKey);
            signer.BlockUpdate(message, 0, message.Length);
            var signature = signer.GenerateSignature();

            var verifier = SignerUtilities.GetSigner(algorithm);
            verifier.Init(false, publicKey);
            verifier.BlockUpdate(message, 0, message.Length);
            return verifier.VerifySignature(signature);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or InvalidKeyException or CryptoException)
        {
            return false;
        }
    }
}
