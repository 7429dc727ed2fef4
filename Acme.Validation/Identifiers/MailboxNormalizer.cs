using System.Text;
using Acme.Validation.Outcomes;

namespace Acme.Validation.Identifiers;

/// <summary>
/// The one grammar for mailboxes (RFC 8823 §3): what this accepts is what newOrder takes, what the
/// challenge mail is sent to, what a reply's From is compared with, and what the certificate names.
/// An RFC 5321 dot-atom or RFC 6531 UTF-8 local part, without display name, comments, quoting,
/// route or IP literal; the domain becomes lower-case A-labels, the local part is kept byte-exact.
/// </summary>
public static class MailboxNormalizer
{
    private const int MaxLocalPartOctets = 64;   // RFC 5321 §4.5.3.1.1
    private const int MaxAddressOctets = 254;    // RFC 5321 §4.5.3.1.3 path limit less the brackets

    /// <summary>
    /// Normalizes <paramref name="value"/>. Failures are <see cref="FailureKind.RejectedIdentifier"/>
    /// with a detail that names the problem and <see cref="ValidationFailure.Identifier"/> set.
    /// </summary>
    public static ValidationOutcome<NormalizedMailbox> Normalize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Reject(value ?? string.Empty, "the email identifier is empty");
        }

        // RFC 8823 §3: an email identifier MUST NOT contain a wildcard.
        if (value.Contains('*'))
        {
            return Reject(value, "wildcards are not allowed in email identifiers (RFC 8823 §3)");
        }

        if (value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return Reject(value, "the address contains white space or control characters");
        }

        if (UnicodeText.ForbiddenCharacter(value) is { } character)
        {
            return Reject(value, character);
        }

        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1)
        {
            return Reject(value, "the value is not an address of the form local-part@domain");
        }

        var local = value[..at];
        if (CheckLocalPart(local) is { } localError)
        {
            return Reject(value, localError);
        }

        var (domain, domainError) = MailboxDomain.Normalize(value[(at + 1)..]);
        if (domain is null)
        {
            return Reject(value, domainError!);
        }

        var normalized = new NormalizedMailbox(local, domain);
        if (Encoding.UTF8.GetByteCount(normalized.Address) > MaxAddressOctets)
        {
            return Reject(value, $"the address is longer than {MaxAddressOctets} octets");
        }

        return ValidationOutcome<NormalizedMailbox>.Success(normalized);
    }

    private static string? CheckLocalPart(string local)
    {
        if (Encoding.UTF8.GetByteCount(local) > MaxLocalPartOctets)
        {
            return $"the local part is longer than {MaxLocalPartOctets} octets";
        }

        if (local.StartsWith('"'))
        {
            // A quoted local part cannot be put into an rfc822Name that every relying party compares
            // the same way, and most mail systems refuse it; the unquoted form is the same mailbox.
            var inner = local.Length >= 2 && local.EndsWith('"') ? local[1..^1] : null;
            return inner is not null && inner.Length > 0 && CheckDotAtom(inner) is null
                ? $"quoted local parts are not supported; send the unquoted address '{inner}@…'"
                : "quoted local parts are not supported";
        }

        if (CheckDotAtom(local) is { } error)
        {
            return error;
        }

        if (UnicodeText.NotCanonical(local) is { } notCanonical)
        {
            return "the local part is not in its canonical form: " + notCanonical;
        }

        // UTS 39 §5.1 per atom: "ivan.иванов" is two single-script atoms, "pаul" is not.
        foreach (var atom in local.Split('.', '+'))
        {
            if (ScriptRules.MixedScripts(atom) is { } mixed)
            {
                return $"the local part '{atom}' mixes the scripts {mixed} (UTS 39 single-script rule)";
            }
        }

        return null;
    }

    /// <summary>Dot-atom (RFC 5322 §3.2.3), with UTF-8 characters allowed (RFC 6532 §3.2).</summary>
    private static string? CheckDotAtom(string local)
    {
        if (local.StartsWith('.') || local.EndsWith('.') || local.Contains("..", StringComparison.Ordinal))
        {
            return "the local part has a leading, trailing or doubled dot";
        }

        foreach (var c in local)
        {
            if (c <= 0x7F && !IsAtext(c) && c != '.')
            {
                return $"the local part contains the character '{c}', which is not allowed unquoted";
            }
        }

        return null;
    }

    private static bool IsAtext(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'+-/=?^_`{|}~".Contains(c);

    private static ValidationOutcome<NormalizedMailbox> Reject(string value, string reason) =>
        new ValidationFailure(FailureKind.RejectedIdentifier, $"'{value}' is not an acceptable mailbox: {reason}")
        {
            Identifier = value,
        };
}
