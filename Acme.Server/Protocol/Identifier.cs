using System.Text.Json.Serialization;

namespace Acme.Server.Protocol;

/// <summary>An ACME identifier object (RFC 8555 §7.1.3, §9.7.7).</summary>
public sealed record Identifier
{
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("value")]
    public required string Value { get; init; }

    public static Identifier Email(string address) => new() { Type = IdentifierTypes.Email, Value = address };
}

/// <summary>Identifier type names.</summary>
public static class IdentifierTypes
{
    /// <summary>RFC 8823 §3: the <c>email</c> identifier type.</summary>
    public const string Email = "email";

    public const string Dns = "dns";
}

/// <summary>Challenge type names.</summary>
public static class ChallengeTypes
{
    /// <summary>RFC 8823 §3: the only challenge type this server offers.</summary>
    public const string EmailReply00 = "email-reply-00";
}
