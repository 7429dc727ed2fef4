using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace Acme.Email.Challenges;

/// <summary>
/// Builds the RFC 8823 §3.1 challenge email as a <see cref="MimeMessage"/> ready for DKIM signing.
/// </summary>
public sealed class ChallengeEmailBuilder
{
    /// <summary>The exact Auto-Submitted header value sent with every challenge.</summary>
    public const string AutoSubmittedValue = "auto-generated; type=acme";

    /// <summary>The literal Subject prefix, including the single space before the token.</summary>
    public const string SubjectPrefix = "ACME: ";

    /// <summary>Minimum token-part1 length: 22 base64url characters carry at least 128 bits.</summary>
    public const int MinimumTokenLength = 22;

    /// <summary>Builds the challenge email.</summary>
    /// <param name="r">The request; addresses must be bare addr-specs and the token base64url.</param>
    /// <returns>A new message; sign it before sending.</returns>
    /// <exception cref="ArgumentException">An address, the token, the domain or the organization name is invalid.</exception>
    public MimeMessage Build(ChallengeMailRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var from = ParseBareAddress(r.From, nameof(r.From));
        var to = ParseBareAddress(r.To, nameof(r.To));
        var replyTo = r.ReplyTo is null ? null : ParseBareAddress(r.ReplyTo, nameof(r.ReplyTo));
        ValidateToken(r.TokenPart1);
        ValidateMessageIdDomain(r.MessageIdDomain);
        ValidateOrganizationName(r.OrganizationName);

        var message = new MimeMessage();
        message.From.Add(from); // RFC 8823 §3.1 item 2: From equals the challenge "from"
        message.To.Add(to); // RFC 8823 §3.1 item 3: To is the mailbox being validated
        if (replyTo is not null)
        {
            message.ReplyTo.Add(replyTo); // RFC 8823 §3.1 item 4 (MAY); never CC (requirements A12)
        }

        message.Subject = SubjectPrefix + r.TokenPart1; // RFC 8823 §3.1 item 1
        message.Date = r.Date;
        // new MimeMessage() adds a Message-Id naming the local host: replace it, spelled as in RFC 5322 §3.6.4.
        var messageId = new Header("Message-ID", "<" + MimeUtils.GenerateMessageId(r.MessageIdDomain) + ">");
        var index = message.Headers.IndexOf(HeaderId.MessageId);
        if (index >= 0)
        {
            message.Headers.RemoveAt(index);
            message.Headers.Insert(index, messageId);
        }
        else
        {
            message.Headers.Add(messageId);
        }
        message.Headers.Add("Auto-Submitted", AutoSubmittedValue); // RFC 8823 §3.1 item 5
        message.Headers.Replace(HeaderId.MimeVersion, "1.0");

        var body = new TextPart("plain")
        {
            Text = BodyText(r.OrganizationName),
            ContentTransferEncoding = ContentEncoding.SevenBit,
        };
        body.ContentType.Charset = "us-ascii";
        message.Body = body;
        return message;
    }

    /// <summary>Throws unless <paramref name="token"/> is non-empty base64url text of at least 128 bits.</summary>
    /// <param name="token">The candidate token-part1.</param>
    /// <exception cref="ArgumentException">The token is too short or has a character outside the base64url alphabet.</exception>
    public static void ValidateToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        foreach (var c in token)
        {
            if (!IsBase64UrlChar(c))
            {
                throw new ArgumentException("token-part1 must contain only unpadded base64url characters [A-Za-z0-9_-].", nameof(token));
            }
        }

        if (token.Length < MinimumTokenLength)
        {
            // RFC 8823 §3 step 4: token-part1 MUST carry at least 128 bits of entropy
            throw new ArgumentException($"token-part1 must be at least {MinimumTokenLength} base64url characters (128 bits).", nameof(token));
        }
    }

    private static bool IsBase64UrlChar(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';

    /// <summary>
    /// The mailbox for a bare address (addr-spec), which must come out of MimeKit exactly as given:
    /// the A-label domain and byte-exact local part of the normalized identifier (RFC 8823 §3.1
    /// item 3), so what newOrder accepted is what the mail is addressed to.
    /// </summary>
    private static MailboxAddress ParseBareAddress(string value, string parameter)
    {
        ArgumentNullException.ThrowIfNull(value, parameter);
        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1 || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or '"' or '(' or ')' or '[' or ']' or ';' or ':' or '\\'))
        {
            throw new ArgumentException($"{parameter} must be a bare address (addr-spec) without display name, quoting or comments: '{value}'.", parameter);
        }

        MailboxAddress mailbox;
        try
        {
            mailbox = new MailboxAddress(string.Empty, value);
        }
        catch (ParseException e)
        {
            throw new ArgumentException($"{parameter} is not an address MimeKit can send to: '{value}' ({e.Message}).", parameter, e);
        }

        var ascii = FormatOptions.Default.Clone();
        ascii.International = false;
        if (mailbox.Route.Count > 0 || mailbox.ToString(ascii, encode: true) != value)
        {
            throw new ArgumentException($"{parameter} does not survive encoding unchanged: '{value}' is written as '{mailbox.ToString(ascii, encode: true)}'.", parameter);
        }

        return mailbox;
    }

    private static void ValidateMessageIdDomain(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.Length == 0 || !domain.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.'))
        {
            throw new ArgumentException("MessageIdDomain must be a non-empty ASCII host name.", nameof(domain));
        }
    }

    private static void ValidateOrganizationName(string? name)
    {
        if (name is not null && (name.Length == 0 || name.Length > 100 || !name.All(c => c is >= ' ' and <= '~')))
        {
            throw new ArgumentException("OrganizationName must be 1 to 100 printable ASCII characters on one line.", nameof(name));
        }
    }

    private static string BodyText(string? organization)
    {
        // Requirements #26: the body never holds token-part2, the key authorization or the digest.
        var who = organization is null ? "a certificate authority" : organization;
        var text = new StringBuilder();
        text.Append("This message was sent automatically by ").Append(who).Append(" using the ACME\n");
        text.Append("protocol (RFC 8555) to verify control of this email address before\n");
        text.Append("issuing an S/MIME certificate for it (RFC 8823).\n");
        text.Append('\n');
        text.Append("If you requested a certificate, your ACME client will answer this message\n");
        text.Append("for you. The answer must come from that ACME client; replying by hand does\n");
        text.Append("not work.\n");
        text.Append('\n');
        text.Append("If you did not request a certificate, no action is needed: ignore this\n");
        text.Append("message and no certificate will be issued.\n");
        return text.ToString();
    }
}
