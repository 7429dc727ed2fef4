using MimeKit;

namespace Acme.Email.Transport;

/// <summary>
/// The one way a challenge mail becomes bytes: for DKIM signing, the file transport, SMTP and the
/// evidence kept. CRLF line ends (RFC 5322 §2.1), and UTF-8 header fields (RFC 6532) exactly when an
/// address needs them, which is also when MailKit's SmtpClient switches to them and asks the relay
/// for SMTPUTF8 (RFC 6531): the bytes signed are then the bytes sent.
/// </summary>
public static class WireFormat
{
    /// <summary>A new options instance for <paramref name="message"/> (never a shared mutable one).</summary>
    public static FormatOptions For(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.International = NeedsUtf8(message);
        return format;
    }

    /// <summary>
    /// True when an originator or recipient address has a UTF-8 local part or a U-label domain: the
    /// rule MailKit applies to the envelope (sender and every recipient) before it writes the message.
    /// </summary>
    public static bool NeedsUtf8(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sender = message.Sender is { } s ? [s] : message.From.Mailboxes;
        return sender.Concat(message.To.Mailboxes).Concat(message.Cc.Mailboxes).Concat(message.Bcc.Mailboxes)
            .Any(m => m.IsInternational);
    }
}
