using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Acme.Validation.Codecs;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Support.Jose;

/// <summary>
/// A fresh key pair for tests, with the JWS algorithm it signs with: ES256, ES384, ES512,
/// RS256 and PS256 (RSA 2048) or EdDSA (Ed25519). The JWK and thumbprint are computed here,
/// independently of the server code, so tests can compare the two.
/// </summary>
public sealed class TestAccountKey : IDisposable
{
    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;
    private readonly AsymmetricCipherKeyPair? _ed25519;

    private TestAccountKey(string algorithm, ECDsa? ecdsa, RSA? rsa, AsymmetricCipherKeyPair? ed25519)
    {
        Algorithm = algorithm;
        _ecdsa = ecdsa;
        _rsa = rsa;
        _ed25519 = ed25519;
    }

    /// <summary>The JWS <c>alg</c> this key signs with.</summary>
    public string Algorithm { get; }

    /// <summary>The RFC 7638 SHA-256 thumbprint of <see cref="PublicJwk"/>, unpadded base64url.</summary>
    public string Thumbprint
    {
        get
        {
            // RFC 7638 §3.2: required members in lexicographic order, no white space.
            var jwk = PublicJwk();
            var members = jwk.Select(m => m.Key).Order(StringComparer.Ordinal).Select(k => $"\"{k}\":\"{(string)jwk[k]!}\"");
            var canonical = "{" + string.Join(",", members) + "}";
            return StrictBase64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        }
    }

    /// <summary>The DER SubjectPublicKeyInfo of the public key.</summary>
    public byte[] SubjectPublicKeyInfo =>
        _ecdsa?.ExportSubjectPublicKeyInfo()
        ?? _rsa?.ExportSubjectPublicKeyInfo()
        ?? SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(_ed25519!.Public).GetDerEncoded();

    /// <summary>Wraps an existing Ed25519 key pair (e.g. a certificate's key, for revokeCert by certificate key).</summary>
    public static TestAccountKey FromKeyPair(AsymmetricCipherKeyPair pair) =>
        pair.Private is Ed25519PrivateKeyParameters
            ? new("EdDSA", null, null, pair)
            : throw new ArgumentException("only Ed25519 key pairs can be wrapped", nameof(pair));

    /// <summary>Creates a new key for <paramref name="alg"/>.</summary>
    public static TestAccountKey Create(string alg) => alg switch
    {
        "ES256" => new(alg, ECDsa.Create(ECCurve.NamedCurves.nistP256), null, null),
        "ES384" => new(alg, ECDsa.Create(ECCurve.NamedCurves.nistP384), null, null),
        "ES512" => new(alg, ECDsa.Create(ECCurve.NamedCurves.nistP521), null, null),
        "RS256" or "PS256" => new(alg, null, RSA.Create(2048), null),
        "EdDSA" => new(alg, null, null, NewEd25519()),
        _ => throw new ArgumentOutOfRangeException(nameof(alg), alg, "unsupported test algorithm"),
    };

    /// <summary>The public JWK with its required members only (a new object on every call).</summary>
    public JsonObject PublicJwk()
    {
        if (_ecdsa is not null)
        {
            var p = _ecdsa.ExportParameters(false);
            var crv = Algorithm switch { "ES256" => "P-256", "ES384" => "P-384", _ => "P-521" };
            return new JsonObject { ["crv"] = crv, ["kty"] = "EC", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
        }

        if (_rsa is not null)
        {
            var p = _rsa.ExportParameters(false);
            return new JsonObject { ["e"] = B64(p.Exponent!), ["kty"] = "RSA", ["n"] = B64(p.Modulus!) };
        }

        var ed = (Ed25519PublicKeyParameters)_ed25519!.Public;
        return new JsonObject { ["crv"] = "Ed25519", ["kty"] = "OKP", ["x"] = B64(ed.GetEncoded()) };
    }

    /// <summary>Signs a JWS Signing Input with <see cref="Algorithm"/> (ES*: raw R || S).</summary>
    public byte[] Sign(byte[] signingInput) => Algorithm switch
    {
        "ES256" => _ecdsa!.SignData(signingInput, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        "ES384" => _ecdsa!.SignData(signingInput, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        "ES512" => _ecdsa!.SignData(signingInput, HashAlgorithmName.SHA512, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        "RS256" => _rsa!.SignData(signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        "PS256" => _rsa!.SignData(signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
        _ => SignEd25519(signingInput),
    };

    /// <summary>The key pair as BouncyCastle parameters, for example to sign a CSR with it.</summary>
    public AsymmetricCipherKeyPair ToBouncyCastle()
    {
        if (_ed25519 is not null)
        {
            return _ed25519;
        }

        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)_ecdsa ?? _rsa!;
        return new AsymmetricCipherKeyPair(
            PublicKeyFactory.CreateKey(key.ExportSubjectPublicKeyInfo()),
            PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey()));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _ecdsa?.Dispose();
        _rsa?.Dispose();
    }

    private static string B64(byte[] data) => StrictBase64Url.Encode(data);

    private static AsymmetricCipherKeyPair NewEd25519()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        return generator.GenerateKeyPair();
    }

    private byte[] SignEd25519(byte[] signingInput)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, _ed25519!.Private);
        signer.BlockUpdate(signingInput, 0, signingInput.Length);
        return signer.GenerateSignature();
    }
}
