using Acme.Validation.Identifiers;

namespace Acme.Validation.Replies;

/// <summary>What a reply to one challenge email must show.</summary>
/// <param name="Identifier">The mailbox being validated (the authorization's identifier).</param>
/// <param name="TokenPart1">token-part1 as sent in the challenge Subject (unpadded base64url).</param>
/// <param name="TokenPart2">token-part2, the challenge object's <c>token</c> (unpadded base64url).</param>
/// <param name="AccountThumbprint">base64url RFC 7638 thumbprint of the ACME account key.</param>
/// <param name="TokenPart1CreatedAt">When token-part1 was created (the challenge email was sent).</param>
/// <param name="ReceivedAt">When the reply was received.</param>
public sealed record ReplyExpectation(
    NormalizedMailbox Identifier,
    string TokenPart1,
    string TokenPart2,
    string AccountThumbprint,
    DateTimeOffset TokenPart1CreatedAt,
    DateTimeOffset ReceivedAt);
