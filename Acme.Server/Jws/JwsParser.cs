using System.Text;
using System.Text.Json;
using Acme.Server.Protocol.Problems;
using Acme.Validation.Codecs;

namespace Acme.Server.Jws;

/// <summary>
/// Parses an ACME JWS (Flattened JSON Serialization) and enforces the structural and header rules
/// of RFC 8555 §6.2 for the chosen <see cref="JwsRules"/>. It does not check the nonce value, the
/// url value or the signature: callers do that with their stores and <see cref="JwsSignatureVerifier"/>.
/// </summary>
public static class JwsParser
{
    /// <summary>
    /// Parses <paramref name="body"/>. Throws <see cref="AcmeProblemException"/> with
    /// <c>malformed</c>, <c>badSignatureAlgorithm</c>, <c>badPublicKey</c> or <c>badNonce</c>.
    /// </summary>
    public static FlattenedJws Parse(ReadOnlySpan<byte> body, JwsRules rules)
    {
        var root = ReadBody(body);
        string? protectedPart = null, payloadPart = null, signaturePart = null;
        foreach (var member in root.EnumerateObject())
        {
            switch (member.Name)
            {
                case "protected":
                    protectedPart = PartText(member);
                    break;
                case "payload":
                    payloadPart = PartText(member);
                    break;
                case "signature":
                    signaturePart = PartText(member);
                    break;
                case "header":
                    // RFC 8555 §6.2: the JWS Unprotected Header MUST NOT be used.
                    throw Malformed("the JWS has an unprotected \"header\" member; ACME allows only the protected header (RFC 8555 §6.2)");
                case "signatures":
                    // RFC 8555 §6.2: the JWS MUST NOT have multiple signatures (no General JSON Serialization).
                    throw Malformed("the General JWS JSON Serialization (\"signatures\") is not allowed; use the Flattened JSON Serialization (RFC 8555 §6.2)");
                default:
                    throw Malformed($"the JWS has the unexpected member \"{member.Name}\"; only protected, payload and signature are allowed (RFC 8555 §6.2)");
            }
        }

        if (protectedPart is null || signaturePart is null)
        {
            throw Malformed("the JWS must have the members protected, payload and signature (RFC 8555 §6.2)");
        }

        // RFC 8555 §6.2: the JWS Payload MUST NOT be detached.
        if (payloadPart is null)
        {
            throw Malformed("the JWS has no \"payload\" member; detached payloads are not allowed, send \"\" for POST-as-GET (RFC 8555 §6.2)");
        }

        var protectedBytes = Decode(protectedPart, "protected");
        var payload = Decode(payloadPart, "payload");
        var signature = Decode(signaturePart, "signature");
        if (protectedBytes.Length == 0)
        {
            throw Malformed("the protected header is empty; it must carry at least alg (RFC 8555 §6.2)");
        }

        if (signature.Length == 0)
        {
            throw Malformed("the JWS signature is empty");
        }

        return new FlattenedJws
        {
            ProtectedPart = protectedPart,
            PayloadPart = payloadPart,
            SignaturePart = signaturePart,
            Header = JwsHeaderRules.Check(StrictJson.ParseObject(protectedBytes, "the protected header"), rules),
            Payload = payload,
            Signature = signature,
        };
    }

    private static JsonElement ReadBody(ReadOnlySpan<byte> body)
    {
        if (LooksCompact(body))
        {
            throw Malformed("the JWS Compact Serialization is not allowed; use the Flattened JSON Serialization (RFC 8555 §6.2)");
        }

        var root = StrictJson.Parse(body, "the request body");
        if (root.ValueKind == JsonValueKind.String && LooksCompact(Encoding.UTF8.GetBytes(root.GetString()!)))
        {
            throw Malformed("the JWS Compact Serialization is not allowed; use the Flattened JSON Serialization (RFC 8555 §6.2)");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"the request body must be a JSON object (a flattened JWS), not {StrictJson.Describe(root.ValueKind)}");
        }

        return root;
    }

    /// <summary>Three base64url runs separated by two dots: a compact JWS.</summary>
    private static bool LooksCompact(ReadOnlySpan<byte> text)
    {
        text = text.Trim("\r\n\t "u8);
        var dots = 0;
        foreach (var b in text)
        {
            if (b == (byte)'.')
            {
                dots++;
            }
            else if (!(b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_'))
            {
                return false;
            }
        }

        return dots == 2;
    }

    private static string PartText(JsonProperty member)
    {
        if (member.Value.ValueKind != JsonValueKind.String)
        {
            throw Malformed($"the JWS member \"{member.Name}\" must be a string, not {StrictJson.Describe(member.Value.ValueKind)}");
        }

        return member.Value.GetString()!;
    }

    private static byte[] Decode(string part, string name)
    {
        // RFC 8555 §6.1: base64url without padding; padded or otherwise invalid input MUST be rejected.
        if (!StrictBase64Url.TryDecode(part, out var bytes))
        {
            throw Malformed($"the JWS member \"{name}\" is not unpadded base64url (RFC 8555 §6.1)");
        }

        return bytes;
    }

    private static AcmeProblemException Malformed(string detail) => new(AcmeProblems.Malformed(detail));
}
