using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Acme.Validation.Codecs;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Acme.Server.Jws;

/// <summary>
/// A validated public JSON Web Key (RFC 7517): EC P-256/P-384/P-521, RSA 2048–8192 bits or
/// OKP Ed25519. Immutable; keeps only the public members that define the key.
/// </summary>
public sealed class JsonWebKey
{
    private readonly Ed25519PublicKeyParameters? _ed25519;
    private readonly byte[] _subjectPublicKeyInfo;
    private readonly string _canonicalJson;

    // An EC or RSA key, loaded into OpenSSL once when parsed and used by every verification of this object:
    // loading validates the point or modulus again, which costs more than the verification itself. .NET does
    // not promise that one key object may verify on two threads at once, so verifications take turns.
    private readonly AsymmetricAlgorithm? _loaded;
    private readonly Lock _loadedGate = new();

    internal JsonWebKey(
        string keyType,
        string? curve,
        IReadOnlyList<KeyValuePair<string, string>> requiredMembers,
        byte[] subjectPublicKeyInfo,
        AsymmetricAlgorithm? loaded = null,
        Ed25519PublicKeyParameters? ed25519 = null)
    {
        KeyType = keyType;
        Curve = curve;
        _loaded = loaded;
        _ed25519 = ed25519;
        _subjectPublicKeyInfo = subjectPublicKeyInfo;

        // RFC 7638 §3.2: required members only, sorted by name, no white space. The values are
        // base64url or fixed names, so no JSON escaping is ever needed.
        var members = requiredMembers.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"\"{m.Key}\":\"{m.Value}\"");
        _canonicalJson = "{" + string.Join(",", members) + "}";
        Thumbprint = StrictBase64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(_canonicalJson)));
    }

    /// <summary>The <c>kty</c> value: <c>EC</c>, <c>RSA</c> or <c>OKP</c>.</summary>
    public string KeyType { get; }

    /// <summary>The <c>crv</c> value for EC and OKP keys (<c>P-256</c>, <c>P-384</c>, <c>P-521</c>, <c>Ed25519</c>); null for RSA.</summary>
    public string? Curve { get; }

    /// <summary>The RFC 7638 SHA-256 thumbprint, unpadded base64url.</summary>
    public string Thumbprint { get; }

    /// <summary>The DER SubjectPublicKeyInfo of the key (a fresh copy on every call).</summary>
    public byte[] SubjectPublicKeyInfo => (byte[])_subjectPublicKeyInfo.Clone();

    /// <summary>
    /// Parses a public JWK. Throws <see cref="Protocol.Problems.AcmeProblemException"/> with
    /// <c>malformed</c> (bad structure or encoding, private members) or <c>badPublicKey</c>
    /// (unsupported type, curve or size, invalid point).
    /// </summary>
    public static JsonWebKey Parse(JsonElement jwk) => JwkParser.Parse(jwk);

    /// <summary>
    /// Builds a key from a DER SubjectPublicKeyInfo (RSA, EC on the three NIST curves, Ed25519).
    /// Throws <see cref="ArgumentException"/> for anything unsupported or invalid.
    /// </summary>
    public static JsonWebKey FromSubjectPublicKeyInfo(byte[] spkiDer) => JwkFromSpki.Convert(spkiDer);

    /// <summary>The canonical public JWK (required members only, RFC 7638 order), for storage.</summary>
    public string ToJson() => _canonicalJson;

    /// <summary>True when <paramref name="alg"/> can be used with this key.</summary>
    public bool IsCompatibleWith(string alg) => alg switch
    {
        "ES256" => KeyType == "EC" && Curve == "P-256",
        "ES384" => KeyType == "EC" && Curve == "P-384",
        "ES512" => KeyType == "EC" && Curve == "P-521",
        "RS256" or "PS256" => KeyType == "RSA",
        "EdDSA" => KeyType == "OKP" && Curve == "Ed25519",
        _ => false,
    };

    /// <summary>
    /// Verifies a JWS signature made with <paramref name="alg"/>. Returns false for a wrong,
    /// malformed or wrongly sized signature and for an algorithm that does not fit the key.
    /// </summary>
    public bool Verify(string alg, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        if (!IsCompatibleWith(alg))
        {
            return false;
        }

        try
        {
            return alg switch
            {
                "ES256" => VerifyEc(signingInput, signature, HashAlgorithmName.SHA256),
                "ES384" => VerifyEc(signingInput, signature, HashAlgorithmName.SHA384),
                "ES512" => VerifyEc(signingInput, signature, HashAlgorithmName.SHA512),
                "RS256" => VerifyRsa(signingInput, signature, RSASignaturePadding.Pkcs1),

                // RFC 7518 §3.5: PS256 is RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-octet salt,
                // which is what RSASignaturePadding.Pss means for SHA-256.
                "PS256" => VerifyRsa(signingInput, signature, RSASignaturePadding.Pss),
                "EdDSA" => VerifyEd25519(signingInput, signature),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{KeyType}{(Curve is null ? string.Empty : " " + Curve)} {Thumbprint}";

    private bool VerifyEc(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, HashAlgorithmName hash)
    {
        var ecdsa = (ECDsa)_loaded!;

        // RFC 7518 §3.4: the signature is R || S, each exactly the size of the curve order.
        if (signature.Length != 2 * ((ecdsa.KeySize + 7) / 8))
        {
            return false;
        }

        lock (_loadedGate)
        {
            return ecdsa.VerifyData(data, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }

    private bool VerifyRsa(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, RSASignaturePadding padding)
    {
        var rsa = (RSA)_loaded!;
        if (signature.Length != (rsa.KeySize + 7) / 8)
        {
            return false;
        }

        lock (_loadedGate)
        {
            return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, padding);
        }
    }

    private bool VerifyEd25519(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 64) // RFC 8032 §5.1.6: R || S, 64 octets
        {
            return false;
        }

        var signer = new Ed25519Signer();
        signer.Init(false, _ed25519);
        signer.BlockUpdate(data);
        return signer.VerifySignature(signature.ToArray());
    }
}
