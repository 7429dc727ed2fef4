namespace Acme.Validation.Caa;

/// <summary>The result of a CAA <c>issuemail</c> check for one mailbox domain.</summary>
/// <param name="Permitted">True when CAA permits issuance for the domain.</param>
/// <param name="Domain">Where the Relevant RRset was found; null when there was none.</param>
/// <param name="RelevantRecords">The Relevant RRset (empty when there was none).</param>
/// <param name="Authenticated">
/// True when the answer that decided was DNSSEC-secure (AD): the relevant answer, or, with no
/// Relevant RRset, every answer on the climb.
/// </param>
/// <param name="Reason">A human-readable explanation, for the audit log.</param>
/// <param name="CheckedAt">When the check was made.</param>
/// <param name="Ttl">
/// The smallest TTL of the Relevant RRset when known; the check may be reused until
/// max(TTL, 8 h) after <paramref name="CheckedAt"/> (SBR 4.2.2.1).
/// </param>
public sealed record CaaDecision(
    bool Permitted,
    string? Domain,
    IReadOnlyList<CaaProperty> RelevantRecords,
    bool Authenticated,
    string Reason,
    DateTimeOffset CheckedAt,
    TimeSpan? Ttl);
