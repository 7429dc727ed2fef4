namespace Acme.Bench.Mail;

/// <summary>
/// What a reply needs from a challenge mail (RFC 8823 §3.1): the recipient (the mailbox being validated),
/// the sender (the challenge's <c>from</c>), token-part1 from the Subject, the Message-ID; and when the
/// watcher saw it (a Stopwatch timestamp).
/// </summary>
public sealed record ChallengeMail(string To, string From, string TokenPart1, string MessageId, long SeenAt);
