using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Acme.Tests.Integration.MailStack;

/// <summary>
/// Sends and reads mail on the stack the way a user's mail client does. Waiting never sleeps: a
/// read-only IMAP session searches, then IDLEs until the server reports a new message (EXISTS) or a
/// one-second round ends (a <see cref="CancellationTokenSource"/> timeout ends IDLE with DONE), then
/// searches again; the whole wait is bounded by a deadline.
/// </summary>
public static class MailStackMail
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan IdleRound = TimeSpan.FromSeconds(1);

    /// <summary>Submits <paramref name="message"/> to postfix (port 2525, no AUTH: loopback is in mynetworks); opendkim signs mail From users.example.test.</summary>
    public static async Task SendSmtpAsync(MailStackFixture stack, MimeMessage message)
    {
        using var client = new SmtpClient { Timeout = 15000 };
        await client.ConnectAsync(MailStackFixture.Host, stack.SmtpPort, SecureSocketOptions.None);
        await client.SendAsync(message);
        await client.DisconnectAsync(true);
    }

    /// <summary>
    /// Hands <paramref name="message"/> straight to dovecot's LMTP port (RFC 2033; MailKit has no LMTP client):
    /// no MTA and no milter, so no DKIM signature.
    /// </summary>
    public static async Task SendLmtpAsync(MailStackFixture stack, MimeMessage message)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(MailStackFixture.Host, stack.LmtpPort);
        tcp.ReceiveTimeout = tcp.SendTimeout = 15000;
        using var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        async Task ExpectAsync(string code)
        {
            string? line;
            do
            {
                line = await reader.ReadLineAsync();
                Assert.That(line, Is.Not.Null.And.StartsWith(code), "LMTP reply");
            }
            while (line!.Length > 3 && line[3] == '-');
        }

        async Task SayAsync(string command, string code)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
            await ExpectAsync(code);
        }

        await ExpectAsync("220");
        await SayAsync("LHLO test.example", "250");
        await SayAsync($"MAIL FROM:<{message.From.Mailboxes.Single().Address}>", "250");
        await SayAsync($"RCPT TO:<{message.To.Mailboxes.Single().Address}>", "250");
        await SayAsync("DATA", "354");
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        using var body = new MemoryStream();
        await message.WriteToAsync(format, body);
        var text = Encoding.ASCII.GetString(body.ToArray());
        var stuffed = string.Join("\r\n", text.Split("\r\n").Select(l => l.StartsWith('.') ? "." + l : l));
        await SayAsync(stuffed.TrimEnd('\r', '\n') + "\r\n.", "250"); // one status per recipient (RFC 2033 §4.2)
        await SayAsync("QUIT", "221");
    }

    /// <summary>
    /// The raw bytes (BODY.PEEK[], flags untouched) of the newest message in <paramref name="user"/>'s INBOX
    /// matching <paramref name="query"/>, waiting up to <paramref name="timeout"/> for it to arrive.
    /// </summary>
    public static async Task<byte[]> WaitForRawAsync(MailStackFixture stack, string user, SearchQuery query, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultWait;
        using var client = new ImapClient { Timeout = 15000 };
        await client.ConnectAsync(MailStackFixture.Host, stack.ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(user, stack.Password(user));
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        var clock = Stopwatch.StartNew();
        var rounds = 0;
        while (true)
        {
            var found = await inbox.SearchAsync(query);
            if (found.Count > 0)
            {
                using var stream = await inbox.GetStreamAsync(found[^1]);
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer);
                await client.DisconnectAsync(true);
                return buffer.ToArray();
            }

            var left = limit - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                Assert.Fail($"no message matching {query} arrived in {user}'s INBOX within {limit.TotalSeconds:0} s ({rounds} IDLE rounds); see .teststack/log/postfix.log and dovecot.log");
            }

            rounds++;
            await IdleUntilNewMailAsync(client, inbox, left < IdleRound ? left : IdleRound);
        }
    }

    /// <summary>The parsed form of <see cref="WaitForRawAsync"/>'s bytes.</summary>
    public static async Task<MimeMessage> WaitForMessageAsync(MailStackFixture stack, string user, SearchQuery query, TimeSpan? timeout = null) =>
        await MimeMessage.LoadAsync(new MemoryStream(await WaitForRawAsync(stack, user, query, timeout), writable: false));

    private static async Task IdleUntilNewMailAsync(ImapClient client, IMailFolder inbox, TimeSpan max)
    {
        using var done = new CancellationTokenSource(max);
        void OnCountChanged(object? sender, EventArgs e) => done.Cancel();
        inbox.CountChanged += OnCountChanged;
        try
        {
            if (client.Capabilities.HasFlag(ImapCapabilities.Idle))
            {
                await client.IdleAsync(done.Token);
            }
            else
            {
                await client.NoOpAsync(); // dovecot offers IDLE; this only keeps the loop bounded elsewhere
            }
        }
        finally
        {
            inbox.CountChanged -= OnCountChanged;
        }
    }
}
