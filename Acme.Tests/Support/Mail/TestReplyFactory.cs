using System.Text;
using MimeKit;
using MimeKit.Cryptography;
using MimeKit.Text;
using MimeKit.Utils;
using Org.BouncyCastle.Crypto;

namespace Acme.Tests.Support.Mail;

/// <summary>
/// Builds RFC 8823 replies the way real clients and MUAs write them, and DKIM-signs them with
/// MimeKit's <see cref="DkimSigner"/>. Tests validate what <see cref="ParseAsync"/> returns:
/// the message parsed again from its serialized bytes, as a server would receive it.
/// </summary>
public static class TestReplyFactory
{
    /// <summary>The 12 header names RFC 8823 §3.2 item 9 requires in h=, plus MIME-Version.</summary>
    public static readonly IReadOnlyList<string> AllRequiredHeaders =
    [
        "From", "Sender", "Reply-To", "To", "Cc", "Subject", "Date", "In-Reply-To", "References",
        "Message-ID", "Content-Type", "Content-Transfer-Encoding", "MIME-Version",
    ];

    private static readonly DateTimeOffset DefaultDate = new(2025, 6, 1, 11, 55, 0, TimeSpan.Zero);

    /// <summary>The response block with CRLF or LF line ends, digest wrapped at <paramref name="wrap"/> columns.</summary>
    public static string Block(string digest, string newLine = "\r\n", int wrap = 72) =>
        "-----BEGIN ACME RESPONSE-----" + newLine
        + string.Join(newLine, digest.Chunk(wrap).Select(c => new string(c))) + newLine
        + "-----END ACME RESPONSE-----" + newLine;

    /// <summary>acme4j: <c>Re: ACME:</c>, In-Reply-To, text/plain, CRLF, 72-column wrap, header and footer text.</summary>
    /// <param name="content">What the reply says.</param>
    /// <param name="paddedTwoLines">Pad the digest with <c>=</c> and split it over two lines (as RFC 8823's example).</param>
    public static MimeMessage Acme4j(ReplyContent content, bool paddedTwoLines = false)
    {
        var body = paddedTwoLines
            ? "-----BEGIN ACME RESPONSE-----\r\n" + content.Digest[..22] + "\r\n" + content.Digest[22..] + "=\r\n-----END ACME RESPONSE-----\r\n"
            : Block(content.Digest);
        var message = Headers(content, "Re: ACME: " + content.TokenPart1);
        message.Body = new TextPart(TextFormat.Plain)
        {
            Text = "This is an automatically generated ACME challenge response.\r\n\r\n" + body + "\r\nThank you.\r\n",
            ContentTransferEncoding = ContentEncoding.SevenBit,
        };
        return message;
    }

    /// <summary>acmez: <c>RE: ACME:</c>, In-Reply-To, <c>Content-Type: text/plain</c>.</summary>
    public static MimeMessage Acmez(ReplyContent content)
    {
        var message = Headers(content, "RE: ACME: " + content.TokenPart1);
        message.Body = new TextPart(TextFormat.Plain) { Text = Block(content.Digest) };
        return message;
    }

    /// <summary>acme_email (certbot-castle): only From, To, In-Reply-To and Subject; body with bare LF.</summary>
    public static MimeMessage AcmeEmail(ReplyContent content)
    {
        var raw = $"From: {content.From}\nTo: {content.To}\nIn-Reply-To: <{content.InReplyTo}>\nSubject: Re: ACME: {content.TokenPart1}\n\n"
            + Block(content.Digest, "\n", 64);
        return Parse(raw);
    }

    /// <summary>A MUA that sends the text quoted-printable.</summary>
    public static MimeMessage MuaQuotedPrintable(ReplyContent content) =>
        WithBody(content, new TextPart(TextFormat.Plain) { Text = Greeting + Block(content.Digest), ContentTransferEncoding = ContentEncoding.QuotedPrintable });

    /// <summary>A MUA that sends the text base64-encoded in UTF-8.</summary>
    public static MimeMessage MuaBase64(ReplyContent content)
    {
        var part = new TextPart(TextFormat.Plain) { ContentTransferEncoding = ContentEncoding.Base64 };
        part.SetText(Encoding.UTF8, "Grüße,\r\n" + Block(content.Digest));
        return WithBody(content, part);
    }

    /// <summary>An HTML-composing MUA: multipart/alternative with HTML first, then text/plain.</summary>
    public static MimeMessage MuaAlternative(ReplyContent content) =>
        WithBody(content, new MultipartAlternative
        {
            new TextPart(TextFormat.Html) { Text = "<p>Here it is:</p><pre>" + Block(content.Digest) + "</pre>", ContentTransferEncoding = ContentEncoding.QuotedPrintable },
            new TextPart(TextFormat.Plain) { Text = Greeting + Block(content.Digest), ContentTransferEncoding = ContentEncoding.QuotedPrintable },
        });

    /// <summary>A gateway that appends a disclaimer: multipart/mixed { multipart/alternative, disclaimer }.</summary>
    public static MimeMessage MuaMixedWithDisclaimer(ReplyContent content) =>
        WithBody(content, new Multipart("mixed")
        {
            new MultipartAlternative
            {
                new TextPart(TextFormat.Plain) { Text = Greeting + Block(content.Digest) },
                new TextPart(TextFormat.Html) { Text = "<pre>" + Block(content.Digest) + "</pre>" },
            },
            new TextPart(TextFormat.Plain) { Text = "This email is confidential.\r\n" },
        });

    /// <summary>
    /// A MUA that Q-encodes the Subject (RFC 2047), with spaces inside the token, optionally with
    /// an RFC 2231 §5 language tag on the charset.
    /// </summary>
    public static MimeMessage MuaEncodedSubject(ReplyContent content, string? language = null)
    {
        var t = content.TokenPart1;
        var charset = language is null ? "US-ASCII" : "US-ASCII*" + language;
        var subject = $"=?{charset}?Q?Re:_ACME:_{t[..10]}_{t[10..20]}?=\r\n =?{charset}?Q?_{t[20..]}?=";
        var raw = $"From: {content.From}\r\nTo: {content.To}\r\nSubject: {subject}\r\nDate: {DateUtils.FormatDate(DefaultDate)}\r\n"
            + $"Message-ID: <reply-{Guid.NewGuid():N}@mua.test>\r\nIn-Reply-To: <{content.InReplyTo}>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" + Block(content.Digest);
        return Parse(raw);
    }

    /// <summary>
    /// DKIM-signs <paramref name="message"/> with <paramref name="key"/>. <paramref name="headers"/>
    /// defaults to the header fields present in the message (as opendkim does).
    /// </summary>
    public static void Sign(
        MimeMessage message,
        DkimTestKey key,
        string domain,
        string selector,
        DateTimeOffset signedAt,
        IEnumerable<string>? headers = null,
        TimeSpan? expiresAfter = null,
        DkimSignatureAlgorithm? algorithm = null)
    {
        var signer = new FixedTimeDkimSigner(key.PrivateKey, domain, selector, algorithm ?? key.Algorithm, signedAt)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            SignaturesExpireAfter = expiresAfter,
        };
        // MimeKit keeps the top-level Content-* fields in the body's header list.
        var present = message.Headers.Concat(message.Body?.Headers ?? []).Where(h => h.Id != HeaderId.DkimSignature).Select(h => h.Field);
        var names = (headers ?? present)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        message.Prepare(EncodingConstraint.SevenBit);
        signer.Sign(Options(NewLineFormat.Dos), message, names);
    }

    /// <summary>Serializes the message as it travels (CRLF unless told otherwise).</summary>
    public static byte[] ToBytes(MimeMessage message, NewLineFormat newLine = NewLineFormat.Dos)
    {
        using var stream = new MemoryStream();
        message.WriteTo(Options(newLine), stream);
        return stream.ToArray();
    }

    /// <summary>
    /// Delivers the message into the server's incoming folder (<paramref name="dataDirectory"/>/mail/incoming) the
    /// Maildir way: written under <c>tmp/</c>, then renamed into <c>new/</c>, so a running reader never sees it half written.
    /// </summary>
    public static async Task DeliverAsync(string dataDirectory, MimeMessage message, string name = "reply.eml")
    {
        var incoming = Path.Combine(dataDirectory, "mail", "incoming");
        Directory.CreateDirectory(Path.Combine(incoming, "tmp"));
        Directory.CreateDirectory(Path.Combine(incoming, "new"));
        var staged = Path.Combine(incoming, "tmp", name);
        await File.WriteAllBytesAsync(staged, ToBytes(message));
        File.Move(staged, Path.Combine(incoming, "new", name));
    }

    /// <summary>Parses raw bytes the way the server does.</summary>
    public static async Task<MimeMessage> ParseAsync(byte[] raw)
    {
        using var stream = new MemoryStream(raw, writable: false);
        return await MimeMessage.LoadAsync(new ParserOptions(), stream, CancellationToken.None);
    }

    /// <summary>Serializes and parses again: the message as received.</summary>
    public static Task<MimeMessage> AsReceivedAsync(MimeMessage message, NewLineFormat newLine = NewLineFormat.Dos) =>
        ParseAsync(ToBytes(message, newLine));

    private const string Greeting = "Hello,\r\n\r\nplease find my response below.\r\n\r\n";

    private static MimeMessage WithBody(ReplyContent content, MimeEntity body)
    {
        var message = Headers(content, "Re: ACME: " + content.TokenPart1);
        message.Body = body;
        return message;
    }

    private static MimeMessage Headers(ReplyContent content, string subject)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(new ParserOptions(), content.From));
        message.To.Add(MailboxAddress.Parse(new ParserOptions(), content.To));
        message.Subject = subject;
        message.Date = DefaultDate;
        message.MessageId = $"reply-{Guid.NewGuid():N}@mua.test";
        if (content.InReplyTo is not null)
        {
            message.InReplyTo = content.InReplyTo;
        }

        return message;
    }

    private static MimeMessage Parse(string raw)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(raw), writable: false); // RFC 6532: UTF-8 header fields
        return MimeMessage.Load(new ParserOptions(), stream);
    }

    private static FormatOptions Options(NewLineFormat newLine)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = newLine;
        return options;
    }

    private sealed class FixedTimeDkimSigner(AsymmetricKeyParameter key, string domain, string selector, DkimSignatureAlgorithm algorithm, DateTimeOffset signedAt)
        : DkimSigner(key, domain, selector, algorithm)
    {
        protected override long GetTimestamp() => signedAt.ToUnixTimeSeconds();
    }
}
