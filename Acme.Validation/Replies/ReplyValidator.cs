using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Acme.Validation.Dkim;
using Acme.Validation.KeyAuthorization;
using Acme.Validation.Outcomes;
using MimeKit;

namespace Acme.Validation.Replies;

/// <summary>
/// Validates an RFC 8823 response email against the challenge it answers, in the order of
/// requirements §1.7: one author, From = identifier, no List-* headers, DKIM, Subject token,
/// response digest, 24-hour window.
/// </summary>
public sealed class ReplyValidator
{
    /// <summary>SBR §3.2.2.4: a Random Value is usable for at most 24 hours after creation.</summary>
    public static readonly TimeSpan MaximumReplyDelay = TimeSpan.FromHours(24);

    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = false };

    private readonly ReplyDkimVerifier _dkim;

    /// <summary>Creates the validator.</summary>
    public ReplyValidator(ReplyDkimVerifier dkim) => _dkim = dkim ?? throw new ArgumentNullException(nameof(dkim));

    /// <summary>
    /// Validates <paramref name="message"/>, which must be parsed from the raw bytes as received
    /// and never modified (DKIM is verified on it). Failures: <see cref="FailureKind.Unauthorized"/>
    /// for author, list, DKIM and time problems; <see cref="FailureKind.Dns"/> when DKIM keys could
    /// not be looked up; <see cref="FailureKind.IncorrectResponse"/> for the Subject token and digest.
    /// </summary>
    public async Task<ValidationOutcome<ReplyEvidence>> ValidateAsync(MimeMessage message, ReplyExpectation expected, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(expected);

        // Step 2: exactly one author (RFC 5322 §3.6; RFC 6376 §8.15).
        var from = ReplyHeaderReader.FromMailbox(message);
        if (!from.IsSuccess)
        {
            return from.Failure;
        }

        // Step 4: RFC 8823 §3 step 8, §3.2 item 2: the reply comes from the identifier itself.
        if (from.Value != expected.Identifier)
        {
            return Fail(FailureKind.Unauthorized, $"the reply is from {from.Value.Address}, not the identifier {expected.Identifier.Address}");
        }

        // Step 5: RFC 8823 §3.2 item 6: the reply MUST NOT come through a mailing list.
        if (ReplyHeaderReader.HasListHeaders(message))
        {
            var names = string.Join(", ", message.Headers.Where(h => h.Field.StartsWith("List-", StringComparison.OrdinalIgnoreCase)).Select(h => h.Field).Distinct());
            return Fail(FailureKind.Unauthorized, $"the reply carries mailing-list header fields ({names}); replies through lists are refused (RFC 8823 §3.2 item 6)");
        }

        // Step 3: RFC 8823 §3.2 item 9: DKIM signed by the From domain.
        var dkim = await _dkim.VerifyAsync(message, from.Value, ct).ConfigureAwait(false);
        if (!dkim.IsSuccess)
        {
            return dkim.Failure;
        }

        // Step 6: RFC 8823 §3.2 item 1: the Subject carries token-part1.
        var subjectToken = ReplyHeaderReader.SubjectToken(message);
        if (subjectToken is null)
        {
            return Fail(FailureKind.IncorrectResponse, "the reply's Subject does not contain 'ACME:' followed by token-part1");
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(subjectToken), Encoding.UTF8.GetBytes(expected.TokenPart1)))
        {
            return Fail(FailureKind.IncorrectResponse, "the token in the reply's Subject is not the token-part1 of this challenge");
        }

        // Step 7: RFC 8823 §3.2 items 7–8: the response block holds the key authorization digest.
        var block = ResponseBlockExtractor.Extract(ReplyBodyReader.FindResponseText(message));
        if (!block.IsSuccess)
        {
            return block.Failure;
        }

        if (!ReplyDigest.TryMatch(block.Value, expected.TokenPart1, expected.TokenPart2, expected.AccountThumbprint, out var join))
        {
            return Fail(FailureKind.IncorrectResponse, "the digest in the reply does not match the key authorization");
        }

        // Step 8: SBR §3.2.2.4: the Random Value is valid for at most 24 hours.
        var delay = expected.ReceivedAt - expected.TokenPart1CreatedAt;
        if (delay > MaximumReplyDelay)
        {
            return Fail(FailureKind.Unauthorized,
                $"the reply was received at {expected.ReceivedAt.UtcDateTime:u}, {delay.TotalHours:0.#} hours after token-part1 was created at {expected.TokenPart1CreatedAt.UtcDateTime:u}; the limit is 24 hours (SBR 3.2.2.4)");
        }

        return ValidationOutcome<ReplyEvidence>.Success(new ReplyEvidence(dkim.Value, from.Value, join));
    }

    /// <summary>
    /// The plus-tag of the first To, Cc or Delivered-To address of the form
    /// <c>{challengeMailboxLocalPart}+TAG@{challengeMailboxDomain}</c> (local part base and domain
    /// compared case-insensitively, the domain in A-label form). Used to find the challenge a reply
    /// answers. Null when no address matches.
    /// </summary>
    public static string? CorrelationTag(MimeMessage message, string challengeMailboxLocalPart, string challengeMailboxDomain)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(challengeMailboxLocalPart);
        var domain = AsciiDomain(challengeMailboxDomain);
        if (domain is null)
        {
            return null;
        }

        var prefix = challengeMailboxLocalPart + "+";
        var deliveredTo = message.Headers
            .Where(h => h.Field.Equals("Delivered-To", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => InternetAddressList.TryParse(new ParserOptions(), h.Value, out var list) ? list.Mailboxes : []);
        foreach (var mailbox in message.To.Mailboxes.Concat(message.Cc.Mailboxes).Concat(deliveredTo))
        {
            if (mailbox.LocalPart.Length > prefix.Length
                && mailbox.LocalPart.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && AsciiDomain(mailbox.Domain) == domain)
            {
                return mailbox.LocalPart[prefix.Length..];
            }
        }

        return null;
    }

    /// <summary>The reply's In-Reply-To message id (without angle brackets), or null.</summary>
    public static string? InReplyTo(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return string.IsNullOrWhiteSpace(message.InReplyTo) ? null : message.InReplyTo;
    }

    private static string? AsciiDomain(string? domain)
    {
        if (string.IsNullOrWhiteSpace(domain))
        {
            return null;
        }

        try
        {
            return Idn.GetAscii(domain.Trim().TrimEnd('.')).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static ValidationOutcome<ReplyEvidence> Fail(FailureKind kind, string detail) =>
        ValidationOutcome<ReplyEvidence>.Fail(kind, detail);
}
