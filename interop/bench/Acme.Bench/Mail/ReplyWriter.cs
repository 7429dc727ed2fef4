using System.Security.Cryptography;
using System.Text;
using MimeKit;
using MimeKit.Cryptography;
using MimeKit.Utils;

namespace Acme.Bench.Mail;

/// <summary>
/// Writes RFC 8823 §3.2 replies as a user's mail provider would deliver them: From the mailbox, To the
/// challenge's <c>from</c>, <c>Re: ACME: token-part1</c>, In-Reply-To the challenge mail, the digest in an
/// ACME RESPONSE block, DKIM-signed (relaxed/relaxed) with <c>d=</c> the user's domain; then dropped into the
/// server's incoming folder Maildir-style (written under <c>tmp/</c>, renamed into <c>new/</c>).
/// </summary>
public sealed class ReplyWriter
{
    private readonly string _tmp;
    private readonly string _new;
    private readonly DkimKeyFile _key;
    private readonly string _domain;
    private readonly string _selector;
    private readonly FormatOptions _format;

    // RFC 8823 §3.2 item 9: every header field the reply has, among those the server wants in h=.
    private readonly string[] _signedHeaders =
        ["From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"];

    /// <summary>Creates the writer for the incoming folder root (holding <c>tmp/</c> and <c>new/</c>).</summary>
    public ReplyWriter(string incomingRoot, DkimKeyFile key, string domain, string selector)
    {
        _tmp = Path.Combine(incomingRoot, "tmp");
        _new = Path.Combine(incomingRoot, "new");
        Directory.CreateDirectory(_tmp);
        Directory.CreateDirectory(_new);
        _key = key;
        _domain = domain;
        _selector = selector;
        _format = FormatOptions.Default.Clone(); // a copy: the shared default is never changed
        _format.NewLineFormat = NewLineFormat.Dos;
    }

    /// <summary>
    /// RFC 8823 §3.1: base64url(SHA-256(key authorization)), the key authorization being token-part1 + token-part2
    /// + "." + the account key's JWK thumbprint (string join).
    /// </summary>
    public static string Digest(string tokenPart1, string tokenPart2, string thumbprint) =>
        Protocol.Base64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(tokenPart1 + tokenPart2 + "." + thumbprint)));

    /// <summary>Builds, signs and drops the reply from <paramref name="mailbox"/> to <paramref name="mail"/>.</summary>
    public async Task WriteAsync(string mailbox, ChallengeMail mail, string digest, CancellationToken ct)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(string.Empty, mailbox));
        message.To.Add(new MailboxAddress(string.Empty, mail.From));
        message.Subject = "Re: ACME: " + mail.TokenPart1;
        message.Date = TimeProvider.System.GetUtcNow(); // a real client: the server checks the signature time against its own clock
        message.MessageId = MimeUtils.GenerateMessageId(_domain);
        message.InReplyTo = mail.MessageId;
        message.Body = new TextPart("plain")
        {
            Text = "-----BEGIN ACME RESPONSE-----\r\n" + digest + "\r\n-----END ACME RESPONSE-----\r\n",
            ContentTransferEncoding = ContentEncoding.SevenBit,
        };
        message.Prepare(EncodingConstraint.SevenBit);
        var signer = new OpenSslRsaDkimSigner(_key, _domain, _selector)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        signer.Sign(_format, message, _signedHeaders);

        var name = $"{Guid.NewGuid():N}.eml";
        var temp = Path.Combine(_tmp, name);
        await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            await message.WriteToAsync(_format, stream, ct);
        }

        File.Move(temp, Path.Combine(_new, name)); // atomic: the server never sees a half-written reply
    }
}
