using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using Acme.Server.Protocol.Problems;
using Acme.Validation.Codecs;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;

namespace Acme.Server.Jws;

/// <summary>Turns a JWK JSON object into a validated <see cref="JsonWebKey"/>.</summary>
internal static class JwkParser
{
    private const int MinRsaBits = 2048;
    private const int MaxRsaBits = 8192;

    // RFC 7518 §6.2.2 and §6.3.2, RFC 8037 §2: members that only private (or symmetric) keys have.
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    public static JsonWebKey Parse(JsonElement jwk)
    {
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"the jwk must be a JSON object, not {StrictJson.Describe(jwk.ValueKind)}");
        }

        StrictJson.EnsureWellFormed(jwk, "the jwk");
        var kty = RequiredString(jwk, "kty");
        if (kty == "oct")
        {
            throw BadPublicKey("symmetric keys (kty \"oct\") cannot be used as account keys; use EC, RSA or OKP (Ed25519)");
        }

        foreach (var member in jwk.EnumerateObject())
        {
            if (PrivateMembers.Contains(member.Name, StringComparer.Ordinal))
            {
                throw Malformed($"the jwk contains the private key member \"{member.Name}\"; send the public key only");
            }
        }

        return kty switch
        {
            "EC" => ParseEc(jwk),
            "RSA" => ParseRsa(jwk),
            "OKP" => ParseOkp(jwk),
            _ => throw BadPublicKey($"the key type (kty) \"{kty}\" is not supported; use EC, RSA or OKP (Ed25519)"),
        };
    }

    private static JsonWebKey ParseEc(JsonElement jwk)
    {
        var crv = RequiredString(jwk, "crv");
        var (size, curve) = crv switch
        {
            "P-256" => (32, ECCurve.NamedCurves.nistP256),
            "P-384" => (48, ECCurve.NamedCurves.nistP384),
            "P-521" => (66, ECCurve.NamedCurves.nistP521),
            _ => throw BadPublicKey($"the EC curve \"{crv}\" is not supported; use P-256, P-384 or P-521"),
        };

        var (x, xText) = RequiredBase64(jwk, "x");
        var (y, yText) = RequiredBase64(jwk, "y");

        // RFC 7518 §6.2.1.2 and §6.2.1.3: x and y MUST be the full coordinate size.
        if (x.Length != size || y.Length != size)
        {
            throw BadPublicKey($"the {crv} coordinates x and y must be {size} octets each (RFC 7518 §6.2.1.2), got {x.Length} and {y.Length}");
        }

        try
        {
            // Throws for coordinates outside the field or a point that is not on the curve.
            NistNamedCurves.GetByName(crv).Curve.ValidatePoint(
                new Org.BouncyCastle.Math.BigInteger(1, x), new Org.BouncyCastle.Math.BigInteger(1, y));
        }
        catch (ArgumentException)
        {
            throw BadPublicKey($"the point (x, y) is not on the curve {crv}");
        }

        var parameters = new ECParameters { Curve = curve, Q = new ECPoint { X = x, Y = y } };
        ECDsa ecdsa;
        byte[] spki;
        try
        {
            ecdsa = ECDsa.Create(parameters);
            spki = ecdsa.ExportSubjectPublicKeyInfo();
        }
        catch (CryptographicException)
        {
            throw BadPublicKey($"the point (x, y) is not a valid {crv} public key");
        }

        return new JsonWebKey(
            "EC", crv, [new("crv", crv), new("kty", "EC"), new("x", xText), new("y", yText)], spki, loaded: ecdsa);
    }

    private static JsonWebKey ParseRsa(JsonElement jwk)
    {
        var (n, nText) = RequiredBase64(jwk, "n");
        var (e, eText) = RequiredBase64(jwk, "e");

        // RFC 7518 §6.3.1.1 and §6.3.1.2: minimal octet strings, no leading zero octets.
        if (n.Length == 0 || n[0] == 0 || e.Length == 0 || e[0] == 0)
        {
            throw Malformed("the RSA members n and e must be non-empty with no leading zero octets (RFC 7518 §6.3.1)");
        }

        var bits = ((n.Length - 1) * 8) + (32 - BitOperations.LeadingZeroCount((uint)n[0]));
        if (bits < MinRsaBits || bits > MaxRsaBits)
        {
            throw BadPublicKey($"the RSA modulus has {bits} bits; it must have between {MinRsaBits} and {MaxRsaBits} bits");
        }

        if ((n[^1] & 1) == 0)
        {
            throw BadPublicKey("the RSA modulus is even, which no RSA key can have");
        }

        var exponent = new BigInteger(e, isUnsigned: true, isBigEndian: true);
        if (exponent.IsEven || exponent < 3 || e.Length > n.Length)
        {
            throw BadPublicKey("the RSA public exponent must be odd, at least 3 and shorter than the modulus");
        }

        var parameters = new RSAParameters { Modulus = n, Exponent = e };
        RSA rsa;
        byte[] spki;
        try
        {
            rsa = RSA.Create(parameters);
            spki = rsa.ExportSubjectPublicKeyInfo();
        }
        catch (CryptographicException)
        {
            throw BadPublicKey("the RSA public key could not be loaded");
        }

        return new JsonWebKey("RSA", null, [new("e", eText), new("kty", "RSA"), new("n", nText)], spki, loaded: rsa);
    }

    private static JsonWebKey ParseOkp(JsonElement jwk)
    {
        var crv = RequiredString(jwk, "crv");
        if (crv != "Ed25519")
        {
            throw BadPublicKey($"the OKP curve \"{crv}\" is not supported; only Ed25519 is");
        }

        var (x, xText) = RequiredBase64(jwk, "x");

        // RFC 8037 §2 and RFC 8032 §5.1.5: an Ed25519 public key is 32 octets.
        if (x.Length != Ed25519PublicKeyParameters.KeySize)
        {
            throw BadPublicKey($"an Ed25519 public key (x) must be 32 octets, got {x.Length}");
        }

        Ed25519PublicKeyParameters key;
        try
        {
            key = new Ed25519PublicKeyParameters(x);
        }
        catch (ArgumentException)
        {
            throw BadPublicKey("x is not a valid Ed25519 public key");
        }

        var spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key).GetDerEncoded();
        return new JsonWebKey("OKP", crv, [new("crv", crv), new("kty", "OKP"), new("x", xText)], spki, ed25519: key);
    }

    private static string RequiredString(JsonElement jwk, string name)
    {
        if (!jwk.TryGetProperty(name, out var value))
        {
            throw Malformed($"the jwk has no \"{name}\" member");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Malformed($"the jwk member \"{name}\" must be a string, not {StrictJson.Describe(value.ValueKind)}");
        }

        return value.GetString()!;
    }

    private static (byte[] Bytes, string Text) RequiredBase64(JsonElement jwk, string name)
    {
        var text = RequiredString(jwk, name);

        // RFC 7518 §6: key members are base64url; RFC 8555 §6.1 forbids padding. Re-encoding must
        // give the same text, so non-zero trailing bits cannot produce a second thumbprint.
        if (!StrictBase64Url.TryDecode(text, out var bytes) || StrictBase64Url.Encode(bytes) != text)
        {
            throw Malformed($"the jwk member \"{name}\" is not canonical unpadded base64url");
        }

        return (bytes, text);
    }

    private static AcmeProblemException Malformed(string detail) => new(AcmeProblems.Malformed(detail));

    private static AcmeProblemException BadPublicKey(string detail) => new(AcmeProblems.BadPublicKey(detail));
}
