using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Acme.Bench.Protocol;

/// <summary>An ES256 (P-256) ACME account key: public JWK, RFC 7638 thumbprint and JWS signatures.</summary>
public sealed class AccountKey : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _x;
    private readonly string _y;

    /// <summary>Creates a fresh key.</summary>
    public AccountKey()
    {
        var p = _key.ExportParameters(false);
        _x = Base64Url.Encode(p.Q.X);
        _y = Base64Url.Encode(p.Q.Y);
        // RFC 7638 §3.2: the required members in lexicographic order, no white space.
        var canonical = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{_x}\",\"y\":\"{_y}\"}}";
        Thumbprint = Base64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>The JWS algorithm.</summary>
    public string Algorithm => "ES256";

    /// <summary>The SHA-256 JWK thumbprint, unpadded base64url.</summary>
    public string Thumbprint { get; }

    /// <summary>The public JWK (a new object each call, so it can be put into a header).</summary>
    public JsonObject PublicJwk() => new() { ["crv"] = "P-256", ["kty"] = "EC", ["x"] = _x, ["y"] = _y };

    /// <summary>
    /// A flattened JWS (RFC 7515 §7.2.2) over <paramref name="payload"/>; null payload is a POST-as-GET
    /// (empty payload, RFC 8555 §6.3). With <paramref name="kid"/> null the header carries the jwk.
    /// </summary>
    public string Sign(string url, string nonce, string? kid, JsonNode? payload)
    {
        var header = new JsonObject { ["alg"] = Algorithm, ["nonce"] = nonce, ["url"] = url };
        if (kid is null)
        {
            header["jwk"] = PublicJwk();
        }
        else
        {
            header["kid"] = kid;
        }

        var protectedPart = Base64Url.Encode(Encoding.UTF8.GetBytes(header.ToJsonString()));
        var payloadPart = payload is null ? string.Empty : Base64Url.Encode(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var input = Encoding.ASCII.GetBytes(protectedPart + "." + payloadPart);
        // RFC 7518 §3.4: ES256 signatures are R || S, 32 octets each.
        var signature = _key.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new JsonObject { ["protected"] = protectedPart, ["payload"] = payloadPart, ["signature"] = Base64Url.Encode(signature) }.ToJsonString();
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}
