using System.Text;
using System.Text.Json;

namespace Acme.Server.Jws;

/// <summary>
/// A JWS in Flattened JSON Serialization whose structure and header have been checked by
/// <see cref="JwsParser"/>. The signature, nonce and url values are NOT yet checked.
/// </summary>
public sealed record FlattenedJws
{
    /// <summary>The <c>protected</c> member as received (base64url).</summary>
    public required string ProtectedPart { get; init; }

    /// <summary>The <c>payload</c> member as received (base64url; empty for POST-as-GET).</summary>
    public required string PayloadPart { get; init; }

    /// <summary>The <c>signature</c> member as received (base64url).</summary>
    public required string SignaturePart { get; init; }

    /// <summary>The checked protected header.</summary>
    public required JwsHeader Header { get; init; }

    /// <summary>The decoded payload octets.</summary>
    public required byte[] Payload { get; init; }

    /// <summary>The decoded signature octets.</summary>
    public required byte[] Signature { get; init; }

    /// <summary>RFC 8555 §6.3: a POST-as-GET request has an empty payload.</summary>
    public bool IsPostAsGet => PayloadPart.Length == 0;

    /// <summary>The JWS Signing Input (RFC 7515 §5.1): ASCII(protected || '.' || payload).</summary>
    public byte[] SigningInput => Encoding.ASCII.GetBytes(ProtectedPart + "." + PayloadPart);

    /// <summary>
    /// The payload as a JSON object, or null for POST-as-GET. Throws malformed when the payload
    /// is not a JSON object or repeats a member name.
    /// </summary>
    public JsonElement? PayloadJson() => IsPostAsGet ? null : StrictJson.ParseObject(Payload, "the JWS payload");
}
