namespace Acme.Email.Challenges;

/// <summary>
/// The data of one RFC 8823 challenge email (server → mailbox being validated).
/// </summary>
/// <param name="From">The challenge's <c>"from"</c> address (often plus-tagged), as a bare addr-spec without display name.</param>
/// <param name="To">The email identifier being validated (normalized), as a bare addr-spec without display name.</param>
/// <param name="TokenPart1">token-part1 as unpadded base64url text.</param>
/// <param name="MessageIdDomain">The domain used on the right-hand side of the generated Message-ID.</param>
/// <param name="Date">The value of the Date header.</param>
public sealed record ChallengeMailRequest(
    string From,
    string To,
    string TokenPart1,
    string MessageIdDomain,
    DateTimeOffset Date)
{
    /// <summary>Optional Reply-To address (bare addr-spec); the header is written only when set.</summary>
    public string? ReplyTo { get; init; }

    /// <summary>Optional organization name (printable ASCII, one line) mentioned in the body text.</summary>
    public string? OrganizationName { get; init; }
}
