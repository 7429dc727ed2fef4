using System.Text.Json;
using System.Text.Json.Serialization;

namespace Acme.Server.Protocol;

// Wire shapes of RFC 8555 §7.1 resources. Kept apart from storage rows; mapping sits in Workflows.

public sealed record DirectoryResource
{
    [JsonPropertyName("newNonce")] public required string NewNonce { get; init; }
    [JsonPropertyName("newAccount")] public required string NewAccount { get; init; }
    [JsonPropertyName("newOrder")] public required string NewOrder { get; init; }
    [JsonPropertyName("revokeCert")] public required string RevokeCert { get; init; }
    [JsonPropertyName("keyChange")] public required string KeyChange { get; init; }
    [JsonPropertyName("renewalInfo")] public required string RenewalInfo { get; init; }
    [JsonPropertyName("meta")] public required DirectoryMeta Meta { get; init; }
}

public sealed record DirectoryMeta
{
    [JsonPropertyName("termsOfService")] public string? TermsOfService { get; init; }
    [JsonPropertyName("website")] public string? Website { get; init; }
    [JsonPropertyName("caaIdentities")] public required IReadOnlyList<string> CaaIdentities { get; init; }
    [JsonPropertyName("externalAccountRequired")] public required bool ExternalAccountRequired { get; init; }
    [JsonPropertyName("profiles")] public required IReadOnlyDictionary<string, string> Profiles { get; init; }
}

public sealed record AccountResource
{
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("contact")] public required IReadOnlyList<string> Contact { get; init; }
    [JsonPropertyName("termsOfServiceAgreed")] public bool? TermsOfServiceAgreed { get; init; }
    [JsonPropertyName("externalAccountBinding")] public JsonElement? ExternalAccountBinding { get; init; }
    [JsonPropertyName("orders")] public required string Orders { get; init; }
}

public sealed record OrderResource
{
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("expires")] public required string Expires { get; init; }
    [JsonPropertyName("identifiers")] public required IReadOnlyList<Identifier> Identifiers { get; init; }
    [JsonPropertyName("notBefore")] public string? NotBefore { get; init; }
    [JsonPropertyName("notAfter")] public string? NotAfter { get; init; }
    [JsonPropertyName("profile")] public required string Profile { get; init; }
    [JsonPropertyName("replaces")] public string? Replaces { get; init; }
    [JsonPropertyName("authorizations")] public required IReadOnlyList<string> Authorizations { get; init; }
    [JsonPropertyName("finalize")] public required string Finalize { get; init; }
    [JsonPropertyName("certificate")] public string? Certificate { get; init; }
    [JsonPropertyName("error")] public Problems.AcmeProblem? Error { get; init; }
}

public sealed record AuthorizationResource
{
    [JsonPropertyName("identifier")] public required Identifier Identifier { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("expires")] public required string Expires { get; init; }
    [JsonPropertyName("challenges")] public required IReadOnlyList<ChallengeResource> Challenges { get; init; }
}

/// <summary>RFC 8823 §3: the email-reply-00 challenge, with <c>token</c> = token-part2 and <c>from</c>.</summary>
public sealed record ChallengeResource
{
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("url")] public required string Url { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("token")] public required string Token { get; init; }
    [JsonPropertyName("from")] public required string From { get; init; }
    [JsonPropertyName("validated")] public string? Validated { get; init; }
    [JsonPropertyName("error")] public Problems.AcmeProblem? Error { get; init; }
}

public sealed record OrdersListResource
{
    [JsonPropertyName("orders")] public required IReadOnlyList<string> Orders { get; init; }
}

/// <summary>RFC 9773 §4.2: the renewal information of one certificate.</summary>
public sealed record RenewalInfoResource
{
    [JsonPropertyName("suggestedWindow")] public required SuggestedWindow SuggestedWindow { get; init; }
}

public sealed record SuggestedWindow
{
    [JsonPropertyName("start")] public required string Start { get; init; }
    [JsonPropertyName("end")] public required string End { get; init; }
}
