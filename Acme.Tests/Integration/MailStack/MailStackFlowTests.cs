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
public sealed class MailStackFlowTests : MailStackTestBase
{
    [Test]
    public async Task Acme4jStyleClient_RepliesThroughPostfix_ChallengeValid_CertificateIssued()
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync(MailStackFixture.Alice);
        Assert.That(order.Status, Is.EqualTo(HttpStatusCode.Created), order.ToString());
        var (challenge, mail) = await ChallengeMailAsync(client, order, MailStackFixture.Alice);

        var reply = Reply(challenge, mail, MailStackFixture.Alice, client.Key.Thumbprint);
        await MailStackMail.SendSmtpAsync(Stack, reply);
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
        await MailStackMail.SendLmtpAsync(Stack, reply);
        var stored = await JudgeRepliesAsync(reply);
        Assert.That(stored.Headers.Contains(HeaderId.DkimSignature), Is.False, "LMTP delivery skips the milter");

        var judged = (await client.PostAsGetAsync(challenge["url"]!.GetValue<string>())).Json!;
        Assert.That(judged["status"]!.GetValue<string>(), Is.EqualTo("invalid"), judged.ToJsonString());
        Assert.That(judged["error"]!["type"]!.GetValue<string>(), Is.EqualTo("urn:ietf:params:acme:error:unauthorized"));
    }
}
