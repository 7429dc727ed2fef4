using System.Text.Json;
using System.Text.Json.Nodes;
using Acme.Server.Protocol.Problems;
using Acme.Validation.Codecs;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;

namespace Acme.Server.Jws;

/// <summary>Converts a DER SubjectPublicKeyInfo into a <see cref="JsonWebKey"/> (same rules as a JWK).</summary>
internal static class JwkFromSpki
{
    public static JsonWebKey Convert(byte[] spkiDer)
    {
        ArgumentNullException.ThrowIfNull(spkiDer);
        var jwk = ToJwk(spkiDer);
        try
        {
            using var document = JsonDocument.Parse(jwk.ToJsonString());
            return JwkParser.Parse(document.RootElement);
        }
        catch (AcmeProblemException e)
        {
            throw new ArgumentException($"the public key is not acceptable: {e.Problem.Detail}", nameof(spkiDer), e);
        }
    }

    private static JsonObject ToJwk(byte[] der)
    {
        SubjectPublicKeyInfo spki;
        try
        {
            spki = SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(der));
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidCastException)
        {
            throw new ArgumentException("the data is not a DER SubjectPublicKeyInfo", nameof(der), e);
        }

        var algorithm = spki.Algorithm.Algorithm;
        if (algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption))
        {
            RsaPublicKeyStructure rsa;
            try
            {
                rsa = RsaPublicKeyStructure.GetInstance(spki.ParsePublicKey());
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidCastException)
            {
                throw new ArgumentException("the RSA public key is not a valid RSAPublicKey structure", nameof(der), e);
            }

            return new JsonObject
            {
                ["kty"] = "RSA",
                ["n"] = StrictBase64Url.Encode(rsa.Modulus.ToByteArrayUnsigned()),
                ["e"] = StrictBase64Url.Encode(rsa.PublicExponent.ToByteArrayUnsigned()),
            };
        }

        if (algorithm.Equals(X9ObjectIdentifiers.IdECPublicKey))
        {
            var (crv, size) = spki.Algorithm.Parameters switch
            {
                DerObjectIdentifier oid when oid.Equals(SecObjectIdentifiers.SecP256r1) => ("P-256", 32),
                DerObjectIdentifier oid when oid.Equals(SecObjectIdentifiers.SecP384r1) => ("P-384", 48),
                DerObjectIdentifier oid when oid.Equals(SecObjectIdentifiers.SecP521r1) => ("P-521", 66),
                _ => throw new ArgumentException("only the named curves P-256, P-384 and P-521 are supported", nameof(der)),
            };

            var point = spki.PublicKey.GetOctets();
            if (point.Length != 1 + (2 * size) || point[0] != 0x04)
            {
                throw new ArgumentException($"the {crv} public key must be an uncompressed point", nameof(der));
            }

            return new JsonObject
            {
                ["kty"] = "EC",
                ["crv"] = crv,
                ["x"] = StrictBase64Url.Encode(point.AsSpan(1, size)),
                ["y"] = StrictBase64Url.Encode(point.AsSpan(1 + size, size)),
            };
        }

        if (algorithm.Equals(EdECObjectIdentifiers.id_Ed25519))
        {
            // RFC 8410 §3: the parameters MUST be absent.
            if (spki.Algorithm.Parameters is not null)
            {
                throw new ArgumentException("Ed25519 algorithm identifiers must not have parameters", nameof(der));
            }

            return new JsonObject
            {
                ["kty"] = "OKP",
                ["crv"] = "Ed25519",
                ["x"] = StrictBase64Url.Encode(spki.PublicKey.GetOctets()),
            };
        }

        throw new ArgumentException($"the key algorithm {algorithm.Id} is not supported", nameof(der));
    }
}
