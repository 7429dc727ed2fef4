using System.Globalization;
using System.Text;
using Acme.Validation.Outcomes;

namespace Acme.Validation.Identifiers;

/// <summary>
/// Checks and normalizes an <c>email</c> identifier value (RFC 8823 §3): an RFC 5321 or RFC 6531
/// addr-spec without display name, comments, route or IP literal. The domain becomes lower-case
/// A-labels; the local part is kept byte-exact.
/// </summary>
public static class MailboxNormalizer
{
    private const int MaxLocalPartOctets = 64;   // RFC 5321 §4.5.3.1.1
    private const int MaxAddressOctets = 254;    // RFC 5321 §4.5.3.1.3 path limit less the brackets
    private const int MaxDomainOctets = 253;

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

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

        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1)
        {
            return Reject(value, "the value is not an address of the form local-part@domain");
        }

        var local = value[..at];
        var domainText = value[(at + 1)..];

        var localError = CheckLocalPart(local);
        if (localError is not null)
        {
            return Reject(value, localError);
        }

        if (domainText.StartsWith('['))
        {
            return Reject(value, "address literals (IP addresses) are not supported as mailbox domains");
        }

        if (domainText.EndsWith('.'))
        {
            return Reject(value, "the domain ends with a dot");
        }

        string domain;
        try
        {
            domain = Idn.GetAscii(domainText).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return Reject(value, $"the domain '{domainText}' is not a valid host name");
        }

        var domainError = CheckDomain(domain);
        if (domainError is not null)
        {
            return Reject(value, domainError);
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
            return local.Length >= 2 && local.EndsWith('"') && IsQuotedContent(local[1..^1])
                ? null
                : "the quoted local part is malformed";
        }

        // Dot-atom (RFC 5322 §3.2.3), with UTF-8 characters allowed (RFC 6532 §3.2).
        if (local.StartsWith('.') || local.EndsWith('.') || local.Contains(".."))
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

    private static bool IsQuotedContent(string inner)
    {
        for (var i = 0; i < inner.Length; i++)
        {
            var c = inner[i];
            if (c == '\\')
            {
                i++;
                if (i >= inner.Length)
                {
                    return false;
                }
            }
            else if (c == '"')
            {
                return false;
            }
        }

        return true;
    }

    private static string? CheckDomain(string domain)
    {
        if (domain.Length > MaxDomainOctets)
        {
            return $"the domain is longer than {MaxDomainOctets} octets";
        }

        var labels = domain.Split('.');
        if (labels.Length < 2)
        {
            return $"the domain '{domain}' is not fully qualified";
        }

        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63)
            {
                return $"the domain '{domain}' has an empty label or one longer than 63 octets";
            }

            if (label.StartsWith('-') || label.EndsWith('-') || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return $"the domain '{domain}' has a label that is not letters, digits and inner hyphens";
            }
        }

        if (labels[^1].All(char.IsAsciiDigit))
        {
            return $"the domain '{domain}' ends in a numeric label";
        }

        return null;
    }

    private static ValidationOutcome<NormalizedMailbox> Reject(string value, string reason) =>
        new ValidationFailure(FailureKind.RejectedIdentifier, $"'{value}' is not an acceptable mailbox: {reason}")
        {
            Identifier = value,
        };
}
