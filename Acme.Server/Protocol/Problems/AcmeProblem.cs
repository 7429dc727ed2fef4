using System.Text.Json.Serialization;

namespace Acme.Server.Protocol.Problems;

/// <summary>
/// An RFC 7807 problem document as ACME uses it (RFC 8555 §6.7). Build instances only through
/// <see cref="AcmeProblems"/>, which fixes the HTTP status for each type.
/// </summary>
public sealed record AcmeProblem
{
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("detail")]
    public required string Detail { get; init; }

    [JsonPropertyName("status")]
    public required int Status { get; init; }

    [JsonPropertyName("identifier")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Identifier? Identifier { get; init; }

    [JsonPropertyName("subproblems")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AcmeProblem>? Subproblems { get; init; }

    /// <summary>Accepted algorithms, sent with <c>badSignatureAlgorithm</c> (RFC 8555 §6.2).</summary>
    [JsonPropertyName("algorithms")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Algorithms { get; init; }

    /// <summary>A URL for the user to visit, sent with <c>userActionRequired</c> (RFC 8555 §7.3.3).</summary>
    [JsonPropertyName("instance")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Instance { get; init; }

    /// <summary>Not serialized: a Location header to send with the problem (409 on keyChange).</summary>
    [JsonIgnore]
    public string? Location { get; init; }

    /// <summary>Not serialized: a Retry-After value in seconds (rateLimited).</summary>
    [JsonIgnore]
    public int? RetryAfterSeconds { get; init; }
}
