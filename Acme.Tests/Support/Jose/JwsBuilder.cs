using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Acme.Validation.Codecs;

namespace Acme.Tests.Support.Jose;

/// <summary>
/// Builds JWS in Flattened JSON Serialization for tests. It checks nothing, so any header and
/// payload (including deliberately wrong ones) can be signed.
/// </summary>
public static class JwsBuilder
{
    /// <summary>
    /// A protected header for <paramref name="key"/>: alg, nonce (omitted when null), url, and
    /// <c>kid</c> when given, otherwise <c>jwk</c>.
    /// </summary>
    public static JsonObject Header(TestAccountKey key, string url, string? nonce, string? kid)
    {
        var header = new JsonObject { ["alg"] = key.Algorithm };
        if (nonce is not null)
        {
            header["nonce"] = nonce;
        }

        header["url"] = url;
        if (kid is null)
        {
            header["jwk"] = key.PublicJwk();
        }
        else
        {
            header["kid"] = kid;
        }

        return header;
    }

    /// <summary>Signs with <paramref name="key"/>; an empty payload gives a POST-as-GET JWS.</summary>
    public static string Sign(TestAccountKey key, JsonObject protectedHeader, string payloadJsonOrEmpty)
    {
        var (protectedPart, payloadPart) = Encode(protectedHeader, payloadJsonOrEmpty);
        var signature = key.Sign(SigningInput(protectedPart, payloadPart));
        return Flattened(protectedPart, payloadPart, StrictBase64Url.Encode(signature));
    }

    /// <summary>
    /// Signs exactly the given octets as protected header and payload (which need not be JSON, nor
    /// UTF-8); an empty payload gives a POST-as-GET JWS.
    /// </summary>
    public static string SignRaw(TestAccountKey key, byte[] protectedHeader, byte[] payload)
    {
        var protectedPart = StrictBase64Url.Encode(protectedHeader);
        var payloadPart = payload.Length == 0 ? string.Empty : StrictBase64Url.Encode(payload);
        return Flattened(protectedPart, payloadPart, StrictBase64Url.Encode(key.Sign(SigningInput(protectedPart, payloadPart))));
    }

    /// <summary>Signs with an HMAC (HS256, HS384 or HS512), as for an external account binding.</summary>
    public static string SignHmac(string alg, byte[] macKey, JsonObject protectedHeader, string payload)
    {
        var (protectedPart, payloadPart) = Encode(protectedHeader, payload);
        var input = SigningInput(protectedPart, payloadPart);
        var mac = alg switch
        {
            "HS256" => HMACSHA256.HashData(macKey, input),
            "HS384" => HMACSHA384.HashData(macKey, input),
            "HS512" => HMACSHA512.HashData(macKey, input),
            _ => throw new ArgumentOutOfRangeException(nameof(alg), alg, "not an HMAC JWS algorithm"),
        };
        return Flattened(protectedPart, payloadPart, StrictBase64Url.Encode(mac));
    }

    /// <summary>
    /// A complete <c>externalAccountBinding</c> value (RFC 8555 §7.3.4) binding
    /// <paramref name="accountKey"/> to the EAB key <paramref name="kid"/>.
    /// </summary>
    public static JsonObject ExternalAccountBinding(string alg, string kid, byte[] macKey, TestAccountKey accountKey, string url)
    {
        var header = new JsonObject { ["alg"] = alg, ["kid"] = kid, ["url"] = url };
        var text = SignHmac(alg, macKey, header, accountKey.PublicJwk().ToJsonString());
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The flattened serialization of three already encoded parts.</summary>
    public static string Flattened(string protectedPart, string payloadPart, string signaturePart) =>
        new JsonObject { ["protected"] = protectedPart, ["payload"] = payloadPart, ["signature"] = signaturePart }.ToJsonString();

    private static (string Protected, string Payload) Encode(JsonObject protectedHeader, string payload) =>
        (StrictBase64Url.Encode(Encoding.UTF8.GetBytes(protectedHeader.ToJsonString())),
         payload.Length == 0 ? string.Empty : StrictBase64Url.Encode(Encoding.UTF8.GetBytes(payload)));

    private static byte[] SigningInput(string protectedPart, string payloadPart) =>
        Encoding.ASCII.GetBytes(protectedPart + "." + payloadPart);
}
