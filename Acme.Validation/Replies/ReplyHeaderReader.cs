using Acme.Validation.Identifiers;
using Acme.Validation.Outcomes;
using MimeKit;

namespace Acme.Validation.Replies;

/// <summary>Reads the header fields of a response email that validation relies on.</summary>
public static class ReplyHeaderReader
{
    private const string SubjectMarker = "ACME:";

    /// <summary>
    /// The token in the Subject: the decoded Subject (MimeKit decodes RFC 2047 encoded-words),
    /// everything after the first case-insensitive <c>ACME:</c>, with all whitespace removed and
    /// trailing <c>=</c> stripped. Null when there is no Subject or no <c>ACME:</c>.
    /// </summary>
    public static string? SubjectToken(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var subject = message.Subject;
        if (subject is null)
        {
            return null;
        }

        // RFC 8823 §3.2 item 1: anything before "ACME:" (a reply prefix such as "Re:") is disregarded.
        var at = subject.IndexOf(SubjectMarker, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        // RFC 8823 §3.1 item 1: whitespace inside token-part1 (from folding) is ignored.
        var token = string.Concat(subject[(at + SubjectMarker.Length)..].Where(c => !char.IsWhiteSpace(c)));
        return token.TrimEnd('=');
    }

    /// <summary>
    /// The single author: exactly one From header field holding exactly one mailbox (no group),
    /// normalized. Failures are <see cref="FailureKind.Unauthorized"/>.
    /// </summary>
    public static ValidationOutcome<NormalizedMailbox> FromMailbox(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);

        // RFC 5322 §3.6 and RFC 6376 §8.15: exactly one From field; a second one could be unsigned.
        var fromFields = message.Headers.Count(h => h.Id == HeaderId.From);
        if (fromFields != 1)
        {
            return Fail(fromFields == 0
                ? "the reply has no From header field"
                : $"the reply has {fromFields} From header fields; exactly one is required (RFC 5322 §3.6)");
        }

        var addresses = message.From;
        if (addresses.Count != 1 || addresses[0] is not MailboxAddress mailbox)
        {
            return Fail(addresses.Count == 1
                ? "the From header field holds a group, not a single mailbox"
                : $"the From header field holds {addresses.Count} addresses; exactly one mailbox is required (RFC 5322 §3.6.2)");
        }

        var normalized = MailboxNormalizer.Normalize(mailbox.Address);
        return normalized.IsSuccess
            ? normalized
            : Fail($"the From address is not usable: {normalized.Failure.Detail}");
    }

    /// <summary>True when any header field name starts with <c>List-</c> (RFC 8823 §3.2 item 6).</summary>
    public static bool HasListHeaders(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Headers.Any(h => h.Field.StartsWith("List-", StringComparison.OrdinalIgnoreCase));
    }

    private static ValidationOutcome<NormalizedMailbox> Fail(string detail) =>
        ValidationOutcome<NormalizedMailbox>.Fail(FailureKind.Unauthorized, detail);
}
