using System.Collections.Concurrent;
using Acme.Validation.Csr;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting;

/// <summary>
/// SBR §4.3.1.2: makes the to-be-signed certificate lintable before the real signature by
/// signing it with a never trusted key of the CA key's algorithm, so the signature
/// AlgorithmIdentifier is the one the real certificate will carry. One throwaway key per key type
/// is made on first use and kept by the instance: the preview's signature is worthless whatever the
/// key, and an RSA-2048 key generation per issuance cost more than the rest of the issuance.
/// </summary>
public sealed class ThrowawayTbsSigner
{
    private readonly ConcurrentDictionary<CsrKeyKind, Lazy<AsymmetricCipherKeyPair>> _keys = new();
    private readonly ConcurrentDictionary<CsrKeyKind, Lazy<ISignatureFactory>> _factories = new();

    /// <summary>Signs what <paramref name="generator"/> holds with this instance's throwaway key of <paramref name="caKeyKind"/>.</summary>
    /// <param name="generator">The generator the issuer has set up (serial, names, validity, key, extensions).</param>
    /// <param name="caKeyKind">The issuing CA's key type.</param>
    /// <returns>A certificate with the real tbsCertificate and a worthless signature, for linting only.</returns>
    public X509Certificate Sign(X509V3CertificateGenerator generator, CsrKeyKind caKeyKind)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return generator.Generate(FactoryFor(caKeyKind));
    }

    /// <summary>The public half of the throwaway key used for <paramref name="caKeyKind"/>.</summary>
    /// <param name="caKeyKind">The issuing CA's key type.</param>
    public AsymmetricKeyParameter PublicKey(CsrKeyKind caKeyKind) => KeyFor(caKeyKind).Public;

    /// <summary>The signature algorithm the CA uses for a key kind: the curve's own hash for ECDSA (SBR §7.1.3.2).</summary>
    /// <param name="caKeyKind">The issuing CA's key type.</param>
    public static string SignatureAlgorithm(CsrKeyKind caKeyKind) => caKeyKind switch
    {
        CsrKeyKind.Rsa => "SHA256WITHRSA",
        CsrKeyKind.EcP256 => "SHA256WITHECDSA",
        CsrKeyKind.EcP384 => "SHA384WITHECDSA",
        CsrKeyKind.EcP521 => "SHA512WITHECDSA",
        CsrKeyKind.Ed25519 => "Ed25519",
        _ => throw new ArgumentOutOfRangeException(nameof(caKeyKind), caKeyKind, "no signature algorithm for this key type"),
    };

    // .NET's OpenSSL signs EC and RSA previews (issue 13); Ed25519 keeps BouncyCastle.
    private ISignatureFactory FactoryFor(CsrKeyKind kind) => _factories.GetOrAdd(kind, k => new Lazy<ISignatureFactory>(() =>
    {
        var key = KeyFor(k);
        var algorithm = SignatureAlgorithm(k);
        return (ISignatureFactory?)Signatures.DotNetSignatureFactory.TryCreate(key.Private, algorithm)
            ?? new Asn1SignatureFactory(algorithm, key.Private, new SecureRandom());
    })).Value;

    private AsymmetricCipherKeyPair KeyFor(CsrKeyKind kind)
    {
        _ = SignatureAlgorithm(kind); // refuses an unknown kind before anything is cached
        return _keys.GetOrAdd(kind, k => new Lazy<AsymmetricCipherKeyPair>(() => NewKey(k, new SecureRandom()))).Value;
    }

    private static AsymmetricCipherKeyPair NewKey(CsrKeyKind kind, SecureRandom random)
    {
        switch (kind)
        {
            case CsrKeyKind.Rsa:
                var rsa = new RsaKeyPairGenerator();
                rsa.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), random, 2048, 100));
                return rsa.GenerateKeyPair();
            case CsrKeyKind.EcP256 or CsrKeyKind.EcP384 or CsrKeyKind.EcP521:
                var curve = kind switch { CsrKeyKind.EcP256 => "P-256", CsrKeyKind.EcP384 => "P-384", _ => "P-521" };
                var ec = new ECKeyPairGenerator();
                ec.Init(new ECKeyGenerationParameters(ECNamedCurveTable.GetOid(curve), random));
                return ec.GenerateKeyPair();
            case CsrKeyKind.Ed25519:
                var ed = new Ed25519KeyPairGenerator();
                ed.Init(new Ed25519KeyGenerationParameters(random));
                return ed.GenerateKeyPair();
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "no throwaway key for this key type");
        }
    }
}
