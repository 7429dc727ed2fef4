using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Acme.Server.Workflows;
using Acme.Tests.Server.EndToEnd;
using Acme.Tests.Support.Mail;
using Acme.Validation.Identifiers;
using Acme.Validation.KeyAuthorization;
using MailKit.Search;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Acme.Tests.Integration.MailStack;

/// <summary>
/// The real ACME server wired to the real mail stack (postfix + opendkim + dovecot + dnsmasq): settings,
/// and the steps of an acme4j-style client (read the challenge mail over IMAP, reply through postfix,
/// let the server judge the reply). The tests drive the mail loops (<c>Mail:RunInBackground=false</c>).
/// </summary>
public abstract class MailStackTestBase : EndToEndTestBase
{
    protected static readonly Regex Acme4jSubject = new(@"^ACME:\s+([0-9A-Za-z_\s-]+=?)\s*$", RegexOptions.CultureInvariant);

    protected MailStackFixture Stack { get; private set; } = null!;

    protected override string[] Settings
    {
        get
        {
            Stack = MailStackFixture.Require(); // base SetUp reads Settings first: ignore or fail before the server starts
            return
            [
                $"Acme:ChallengeMailbox={MailStackFixture.AcmeMailbox}",
                $"Smtp:Host={MailStackFixture.Host}", $"Smtp:Port={Stack.SmtpPort}", "Smtp:Security=None",
                $"Imap:Host={MailStackFixture.Host}", $"Imap:Port={Stack.ImapPort}", "Imap:Security=None",
                $"Imap:UserName={MailStackFixture.AcmeMailbox}", $"Imap:PasswordFile={Stack.PasswordFile(MailStackFixture.AcmeMailbox)}",
                $"Dkim:KeyPath={Stack.CaDkimKeyPath}", $"Dkim:Domain={MailStackFixture.CaDomain}",
                $"Dkim:Selector={MailStackFixture.CaSelector}", "Dkim:Algorithm=rsa-sha256",
                $"Dns:Servers:0={Stack.DnsServer}",
                "Mail:FirstSendDelay=00:00:00", "Mail:RunInBackground=false",
            ];
        }
    }

    protected ChallengeMailDispatcher Dispatcher => Server.Services.GetRequiredService<ChallengeMailDispatcher>();

    protected ReplyProcessor Replies => Server.Services.GetRequiredService<ReplyProcessor>();

    /// <summary>Fetches the authorization, runs the dispatcher once, and reads the challenge mail from the user's INBOX.</summary>
    protected async Task<(JsonNode Challenge, MimeMessage Mail)> ChallengeMailAsync(AcmeTestClient client, AcmeResponse order, string mailbox)
    {
        var authzUrl = order.Json!["authorizations"]![0]!.GetValue<string>();
        var challenge = (await client.PostAsGetAsync(authzUrl)).Json!["challenges"]![0]!;
        Assert.That(challenge["type"]!.GetValue<string>(), Is.EqualTo("email-reply-00"));
        var from = challenge["from"]!.GetValue<string>();
        Assert.That(from, Does.Match(@"^acme\+[^@]+@ca\.example\.test$"));

        Assert.That(await Dispatcher.RunOnceAsync(CancellationToken.None), Is.EqualTo(1), "Mail:FirstSendDelay=0: sent on the first pass");
        var mail = await MailStackMail.WaitForMessageAsync(Stack, mailbox, SearchQuery.HeaderContains("From", from));

        // acme4j-smime's EmailProcessor checks, in its order.
        Assert.That(mail.Headers["Auto-Submitted"], Does.Match("^auto-generated(;.*)?$"), "acme4j: Message is not auto-generated");
        Assert.That(mail.From.Mailboxes.Select(m => m.Address), Is.EqualTo(new[] { from }), "exactly one From, equal to the challenge from");
        Assert.That(mail.To.Mailboxes.Select(m => MailboxNormalizer.Normalize(m.Address).Value?.Address), Is.EqualTo(new[] { MailboxNormalizer.Normalize(mailbox).Value!.Address }),
            "exactly one To, the identifier");
        Assert.That(mail.Headers.Count(h => h.Id == HeaderId.MessageId), Is.LessThanOrEqualTo(1));
        Assert.That(Acme4jSubject.IsMatch(mail.Subject ?? string.Empty), Is.True, mail.Subject);
        Assert.That(mail.Subject, Does.Match("^ACME: [A-Za-z0-9_-]{32}$"));
        return (challenge, mail);
    }

    /// <summary>The acme4j reply, unsigned: the user's MTA (opendkim) signs it.</summary>
    protected static MimeMessage Reply(JsonNode challenge, MimeMessage mail, string mailbox, string thumbprint)
    {
        var tokenPart1 = Regex.Replace(Acme4jSubject.Match(mail.Subject!).Groups[1].Value, @"\s", string.Empty);
        var digest = ReplyDigest.Compute(tokenPart1, challenge["token"]!.GetValue<string>(), thumbprint, TokenJoin.String);
        return TestReplyFactory.Acme4j(new ReplyContent(mailbox, challenge["from"]!.GetValue<string>(), tokenPart1, digest, mail.MessageId));
    }

    /// <summary>
    /// Waits until the reply is in acme's INBOX, then runs reply passes until one judges nothing (older
    /// unseen mail from earlier runs is judged "uncorrelated" first); bounded by 10 passes.
    /// </summary>
    protected async Task<MimeMessage> JudgeRepliesAsync(MimeMessage reply)
    {
        var stored = await MailStackMail.WaitForMessageAsync(Stack, MailStackFixture.AcmeMailbox, SearchQuery.HeaderContains("Message-ID", reply.MessageId!));
        var judgedTotal = 0;
        for (var pass = 0; pass < 10; pass++)
        {
            var judged = await Replies.RunOnceAsync(CancellationToken.None);
            judgedTotal += judged;
            if (judged == 0)
            {
                Assert.That(judgedTotal, Is.GreaterThanOrEqualTo(1), "the reply was judged");
                return stored;
            }
        }

        Assert.Fail("reply passes kept finding mail after 10 passes");
        return stored;
    }
}
