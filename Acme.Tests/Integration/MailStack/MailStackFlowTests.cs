using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Acme.Server.Workflows;
using Acme.Tests.Server.EndToEnd;
using Acme.Tests.Support.Mail;
using Acme.Validation.KeyAuthorization;
using MailKit.Search;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Acme.Tests.Integration.MailStack;

/// <summary>
/// RFC 8823 end to end over real mail servers: the real ACME server sends its DKIM-signed challenge
/// mail through postfix into the user's dovecot mailbox, the "client" reads it over IMAP, checks it as
/// acme4j does, replies through postfix (signed by opendkim), and the server reads the reply from its own
/// IMAP mailbox, verifies DKIM against dnsmasq and validates the challenge; then the order is finalized.
/// The test drives the mail loops (<c>Mail:RunInBackground=false</c>).
/// </summary>
public sealed class MailStackFlowTests : EndToEndTestBase
{
    private static readonly Regex Acme4jSubject = new(@"^ACME:\s+([0-9A-Za-z_\s-]+=?)\s*$", RegexOptions.CultureInvariant);

    private MailStackFixture _stack = null!;

    protected override string[] Settings
    {
        get
        {
            _stack = MailStackFixture.Require(); // base SetUp reads Settings first: ignore or fail before the server starts
            return
            [
                $"Acme:ChallengeMailbox={MailStackFixture.AcmeMailbox}",
                $"Smtp:Host={MailStackFixture.Host}", $"Smtp:Port={_stack.SmtpPort}", "Smtp:Security=None",
                $"Imap:Host={MailStackFixture.Host}", $"Imap:Port={_stack.ImapPort}", "Imap:Security=None",
                $"Imap:UserName={MailStackFixture.AcmeMailbox}", $"Imap:PasswordFile={_stack.PasswordFile(MailStackFixture.AcmeMailbox)}",
                $"Dkim:KeyPath={_stack.CaDkimKeyPath}", $"Dkim:Domain={MailStackFixture.CaDomain}",
                $"Dkim:Selector={MailStackFixture.CaSelector}", "Dkim:Algorithm=rsa-sha256",
                $"Dns:Servers:0={_stack.DnsServer}",
                "Mail:FirstSendDelay=00:00:00", "Mail:RunInBackground=false",
            ];
        }
    }

    private ChallengeMailDispatcher Dispatcher => Server.Services.GetRequiredService<ChallengeMailDispatcher>();

    private ReplyProcessor Replies => Server.Services.GetRequiredService<ReplyProcessor>();

    [Test]
    public async Task Acme4jStyleClient_RepliesThroughPostfix_ChallengeValid_CertificateIssued()
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync(MailStackFixture.Alice);
        Assert.That(order.Status, Is.EqualTo(HttpStatusCode.Created), order.ToString());
        var (challenge, mail) = await ChallengeMailAsync(client, order, MailStackFixture.Alice);

        var reply = Reply(challenge, mail, MailStackFixture.Alice, client.Key.Thumbprint);
        await MailStackMail.SendSmtpAsync(_stack, reply);
        await JudgeRepliesAsync(reply);

        var challengeUrl = challenge["url"]!.GetValue<string>();
        Assert.That((await client.PostAsGetAsync(challengeUrl)).Json!["status"]!.GetValue<string>(), Is.EqualTo("pending"),
            "acme4j triggers the challenge after replying: the verified reply waits for the POST");
        var posted = await client.PostAsync(challengeUrl, new JsonObject());
        Assert.That(posted.Json!["status"]!.GetValue<string>(), Is.EqualTo("valid"), posted.ToString());

        var ready = await client.PostAsGetAsync(order.Location!);
        Assert.That(ready.Json!["status"]!.GetValue<string>(), Is.EqualTo("ready"), ready.ToString());
        var valid = await FinalizeAsync(client, ready.Json!, Csr("rsa2048", MailStackFixture.Alice));
        var download = await client.PostAsGetAsync(valid["certificate"]!.GetValue<string>());
        Assert.That(download.Status, Is.EqualTo(HttpStatusCode.OK), download.ToString());
        Assert.That(download.ContentType, Does.StartWith("application/pem-certificate-chain"));
        Assert.That(Regex.Count(download.Body, "BEGIN CERTIFICATE"), Is.EqualTo(3), "leaf, issuing CA, root");
    }

    [Test]
    public async Task ReplyInjectedThroughLmtp_BypassesOpendkim_ChallengeInvalidUnauthorized()
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync(MailStackFixture.Bob);
        Assert.That(order.Status, Is.EqualTo(HttpStatusCode.Created), order.ToString());
        var (challenge, mail) = await ChallengeMailAsync(client, order, MailStackFixture.Bob);

        var reply = Reply(challenge, mail, MailStackFixture.Bob, client.Key.Thumbprint);
        await MailStackMail.SendLmtpAsync(_stack, reply);
        var stored = await JudgeRepliesAsync(reply);
        Assert.That(stored.Headers.Contains(HeaderId.DkimSignature), Is.False, "LMTP delivery skips the milter");

        var judged = (await client.PostAsGetAsync(challenge["url"]!.GetValue<string>())).Json!;
        Assert.That(judged["status"]!.GetValue<string>(), Is.EqualTo("invalid"), judged.ToJsonString());
        Assert.That(judged["error"]!["type"]!.GetValue<string>(), Is.EqualTo("urn:ietf:params:acme:error:unauthorized"));
    }

    /// <summary>Fetches the authorization, runs the dispatcher once, and reads the challenge mail from the user's INBOX.</summary>
    private async Task<(JsonNode Challenge, MimeMessage Mail)> ChallengeMailAsync(AcmeTestClient client, AcmeResponse order, string mailbox)
    {
        var authzUrl = order.Json!["authorizations"]![0]!.GetValue<string>();
        var challenge = (await client.PostAsGetAsync(authzUrl)).Json!["challenges"]![0]!;
        Assert.That(challenge["type"]!.GetValue<string>(), Is.EqualTo("email-reply-00"));
        var from = challenge["from"]!.GetValue<string>();
        Assert.That(from, Does.Match(@"^acme\+[^@]+@ca\.example\.test$"));

        Assert.That(await Dispatcher.RunOnceAsync(CancellationToken.None), Is.EqualTo(1), "Mail:FirstSendDelay=0: sent on the first pass");
        var mail = await MailStackMail.WaitForMessageAsync(_stack, mailbox, SearchQuery.HeaderContains("From", from));

        // acme4j-smime's EmailProcessor checks, in its order.
        Assert.That(mail.Headers["Auto-Submitted"], Does.Match("^auto-generated(;.*)?$"), "acme4j: Message is not auto-generated");
        Assert.That(mail.From.Mailboxes.Select(m => m.Address), Is.EqualTo(new[] { from }), "exactly one From, equal to the challenge from");
        Assert.That(mail.To.Mailboxes.Select(m => m.Address), Is.EqualTo(new[] { mailbox }), "exactly one To, the identifier");
        Assert.That(mail.Headers.Count(h => h.Id == HeaderId.MessageId), Is.LessThanOrEqualTo(1));
        Assert.That(Acme4jSubject.IsMatch(mail.Subject ?? string.Empty), Is.True, mail.Subject);
        Assert.That(mail.Subject, Does.Match("^ACME: [A-Za-z0-9_-]{32}$"));
        return (challenge, mail);
    }

    /// <summary>The acme4j reply, unsigned: the user's MTA (opendkim) signs it.</summary>
    private static MimeMessage Reply(JsonNode challenge, MimeMessage mail, string mailbox, string thumbprint)
    {
        var tokenPart1 = Regex.Replace(Acme4jSubject.Match(mail.Subject!).Groups[1].Value, @"\s", string.Empty);
        var digest = ReplyDigest.Compute(tokenPart1, challenge["token"]!.GetValue<string>(), thumbprint, TokenJoin.String);
        return TestReplyFactory.Acme4j(new ReplyContent(mailbox, challenge["from"]!.GetValue<string>(), tokenPart1, digest, mail.MessageId));
    }

    /// <summary>
    /// Waits until the reply is in acme's INBOX, then runs reply passes until one judges nothing (older
    /// unseen mail from earlier runs is judged "uncorrelated" first); bounded by 10 passes.
    /// </summary>
    private async Task<MimeMessage> JudgeRepliesAsync(MimeMessage reply)
    {
        var stored = await MailStackMail.WaitForMessageAsync(_stack, MailStackFixture.AcmeMailbox, SearchQuery.HeaderContains("Message-ID", reply.MessageId!));
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
