using System.Net;
using System.Text.Json.Nodes;
using Acme.Server.Workflows;
using Acme.Tests.Support.Dns;
using Acme.Tests.Support.Mail;
using Acme.Tests.Support.Observability;
using Acme.Validation.Dkim;
using Acme.Validation.KeyAuthorization;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// RFC 8823 end to end through the server's real mail code: the challenge mail written by the file
/// transport, a client-style reply dropped into the incoming folder, DKIM checked against keys served
/// by a fake of our DNS seam, and the challenge driven by the reply and the client's POST.
/// </summary>
public sealed class MailFlowTests : EndToEndTestBase
{
    private const string Mailbox = "alice@example.test";
    private readonly FakeDkimKeyLookup _dns = new();

    protected override string[] Settings => ["Mail:RunInBackground=false"];

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IDkimKeyLookup>(_dns.PublishKey("rsa", "example.test", DkimTestKey.Rsa2048.TxtRecord));

    private string Outgoing => Path.Combine(Server.DataDirectory, "mail", "outgoing");
    private string IncomingNew => Path.Combine(Server.DataDirectory, "mail", "incoming", "new");

    private ChallengeMailDispatcher Dispatcher => Server.Services.GetRequiredService<ChallengeMailDispatcher>();
    private ReplyProcessor Replies => Server.Services.GetRequiredService<ReplyProcessor>();

    private async Task<(AcmeTestClient Client, AcmeResponse Order, JsonNode Challenge, MimeMessage Mail)> ChallengeMailAsync(string alg = "ES256")
    {
        var client = await ClientAsync(alg);
        var order = await client.NewOrderAsync(Mailbox);
        var authzUrl = order.Json!["authorizations"]![0]!.GetValue<string>();
        var challenge = (await client.PostAsGetAsync(authzUrl)).Json!["challenges"]![0]!;
        await client.PostAsGetAsync(authzUrl); // a second fetch must not queue a second mail

        Assert.That(await Dispatcher.RunOnceAsync(CancellationToken.None), Is.Zero, "the first send waits Mail:FirstSendDelay");
        Server.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.That(await Dispatcher.RunOnceAsync(CancellationToken.None), Is.EqualTo(1));
        Assert.That(await Dispatcher.RunOnceAsync(CancellationToken.None), Is.Zero, "sent exactly once");

        var file = Directory.GetFiles(Outgoing, "*.eml").Single();
        return (client, order, challenge, await MimeMessage.LoadAsync(file));
    }

    private async Task DropReplyAsync(MimeMessage reply, string name = "reply.eml")
    {
        Directory.CreateDirectory(IncomingNew);
        await File.WriteAllBytesAsync(Path.Combine(IncomingNew, name), TestReplyFactory.ToBytes(reply));
    }

    private static MimeMessage Reply(JsonNode challenge, MimeMessage mail, string thumbprint, bool sign = true)
    {
        var tokenPart1 = mail.Subject!["ACME: ".Length..];
        var digest = ReplyDigest.Compute(tokenPart1, challenge["token"]!.GetValue<string>(), thumbprint, TokenJoin.String);
        var reply = TestReplyFactory.Acme4j(new ReplyContent(Mailbox, challenge["from"]!.GetValue<string>(), tokenPart1, digest, mail.MessageId));
        if (sign)
        {
            TestReplyFactory.Sign(reply, DkimTestKey.Rsa2048, "example.test", "rsa", DateTimeOffset.UtcNow.AddMinutes(-1));
        }

        return reply;
    }

    [Test]
    public async Task ChallengeMail_HasRfc8823ShapeAndVerifiableDkim()
    {
        var (_, _, challenge, mail) = await ChallengeMailAsync();
        Assert.That(mail.Subject, Does.Match("^ACME: [A-Za-z0-9_-]{32}$"), "RFC 8823 §3.1 item 1: 24 bytes of token-part1, unpadded");
        Assert.That(mail.From.Mailboxes.Single().Address, Is.EqualTo(challenge["from"]!.GetValue<string>()));
        Assert.That(mail.To.Mailboxes.Single().Address, Is.EqualTo(Mailbox));
        Assert.That(mail.Headers["Auto-Submitted"], Is.EqualTo("auto-generated; type=acme"));
        Assert.That(mail.MessageId, Is.Not.Null.And.Not.Empty);
        var dkim = mail.Headers[HeaderId.DkimSignature];
        Assert.That(dkim, Does.Contain("d=acme.localhost"), "RFC 8823 §3.1 item 6: d= is the From domain");
        Assert.That(mail.TextBody, Does.Not.Contain(challenge["token"]!.GetValue<string>()), "token-part2 never travels by mail");
    }

    [Test]
    public async Task Reply_ThenClientPost_ChallengeValidAndOrderReady()
    {
        var (client, order, challenge, mail) = await ChallengeMailAsync();
        await DropReplyAsync(Reply(challenge, mail, client.Key.Thumbprint));
        Assert.That(await Replies.RunOnceAsync(CancellationToken.None), Is.EqualTo(1));
        Assert.That(Directory.GetFiles(IncomingNew), Is.Empty, "the reply file moved to cur/");

        var challengeUrl = challenge["url"]!.GetValue<string>();
        var afterReply = await client.PostAsGetAsync(challengeUrl);
        Assert.That(afterReply.Json!["status"]!.GetValue<string>(), Is.EqualTo("pending"), afterReply.Body);
        var posted = await client.PostAsync(challengeUrl, new JsonObject());
        Assert.That(posted.Json!["status"]!.GetValue<string>(), Is.EqualTo("valid"), posted.ToString());
        Assert.That((await client.PostAsGetAsync(order.Location!)).Json!["status"]!.GetValue<string>(), Is.EqualTo("ready"));

        // SBR 3.2.2 ¶4, 5.5: the method with its SBR version, and both messages, kept as evidence.
        var db = Server.Services.GetRequiredService<Acme.Server.Storage.Database>();
        var evidence = await db.ReadAsync(c => Dapper.SqlMapper.QuerySingleAsync<(string Method, long ReplyBytes, long MailBytes)>(c,
            "SELECT h.validation_method, length(r.raw_message), length(m.raw_message) FROM challenges h " +
            "JOIN inbound_replies r ON r.id = h.validation_reply_id JOIN challenge_mails m ON m.challenge_id = h.id"), CancellationToken.None);
        Assert.That(evidence.Method, Does.Contain("SBR 3.2.2.4").And.Contain("v1.0.10"));
        Assert.That(evidence.ReplyBytes, Is.GreaterThan(100));
        Assert.That(evidence.MailBytes, Is.GreaterThan(100));
    }

    [Test]
    public async Task ClientPostFirst_ThenReply_ChallengeValid()
    {
        var (client, _, challenge, mail) = await ChallengeMailAsync("EdDSA");
        var challengeUrl = challenge["url"]!.GetValue<string>();
        Assert.That((await client.PostAsync(challengeUrl, new JsonObject())).Json!["status"]!.GetValue<string>(), Is.EqualTo("processing"));
        await DropReplyAsync(Reply(challenge, mail, client.Key.Thumbprint));
        await Replies.RunOnceAsync(CancellationToken.None);
        Assert.That((await client.PostAsGetAsync(challengeUrl)).Json!["status"]!.GetValue<string>(), Is.EqualTo("valid"));
    }

    [Test]
    public async Task UnsignedReply_ChallengeInvalidUnauthorized_LaterReplyIgnored()
    {
        var (client, _, challenge, mail) = await ChallengeMailAsync();
        await DropReplyAsync(Reply(challenge, mail, client.Key.Thumbprint, sign: false), "unsigned.eml");
        await Replies.RunOnceAsync(CancellationToken.None);
        var judged = (await client.PostAsGetAsync(challenge["url"]!.GetValue<string>())).Json!;
        Assert.That(judged["status"]!.GetValue<string>(), Is.EqualTo("invalid"));
        Assert.That(judged["error"]!["type"]!.GetValue<string>(), Is.EqualTo("urn:ietf:params:acme:error:unauthorized"));
        Assert.That(judged["error"]!["detail"]!.GetValue<string>(), Does.Contain("unsigned").IgnoreCase);

        await DropReplyAsync(Reply(challenge, mail, client.Key.Thumbprint), "late-good.eml");
        await Replies.RunOnceAsync(CancellationToken.None);
        Assert.That((await client.PostAsGetAsync(challenge["url"]!.GetValue<string>())).Json!["status"]!.GetValue<string>(), Is.EqualTo("invalid"),
            "RFC 8823 §6: the first judged reply consumes the token");
    }

    [Test]
    public async Task WrongDigest_ChallengeInvalidIncorrectResponse()
    {
        var (client, _, challenge, mail) = await ChallengeMailAsync();
        using var otherKey = Support.Jose.TestAccountKey.Create("ES256");
        await DropReplyAsync(Reply(challenge, mail, otherKey.Thumbprint));
        await Replies.RunOnceAsync(CancellationToken.None);
        var judged = (await client.PostAsGetAsync(challenge["url"]!.GetValue<string>())).Json!;
        Assert.That(judged["error"]!["type"]!.GetValue<string>(), Is.EqualTo("urn:ietf:params:acme:error:incorrectResponse"));
    }

    [Test]
    public async Task UnsignedReply_CountedInMetrics()
    {
        var (client, _, challenge, mail) = await ChallengeMailAsync();
        await DropReplyAsync(Reply(challenge, mail, client.Key.Thumbprint, sign: false), "unsigned.eml");
        await Replies.RunOnceAsync(CancellationToken.None);

        var scrape = await PrometheusScrape.FetchAsync(Http, Server.Urls.Base + "/metrics");
        Assert.Multiple(() =>
        {
            Assert.That(scrape["""acme_challenge_mails_total{event="sent"}"""], Is.EqualTo(1));
            Assert.That(scrape["acme_replies_received_total"], Is.EqualTo(1));
            Assert.That(scrape["""acme_validations_total{outcome="invalid",failure_kind="unauthorized"}"""], Is.EqualTo(1));
            Assert.That(scrape["""acme_reply_verdict_seconds_count{outcome="invalid"}"""], Is.EqualTo(1));
            Assert.That(scrape["""acme_status_changes_total{resource="authorization",from="pending",to="invalid"}"""], Is.EqualTo(1));
            Assert.That(scrape["""acme_status_changes_total{resource="order",from="pending",to="invalid"}"""], Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SameReplyFileTwice_RecordedOnce()
    {
        var (client, _, challenge, mail) = await ChallengeMailAsync();
        var reply = Reply(challenge, mail, client.Key.Thumbprint);
        await DropReplyAsync(reply, "a.eml");
        Assert.That(await Replies.RunOnceAsync(CancellationToken.None), Is.EqualTo(1));
        Assert.That(await Replies.RunOnceAsync(CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task NewOrders_OverMailboxLimit_RateLimited()
    {
        var client = await ClientAsync();
        for (var i = 0; i < 10; i++)
        {
            Assert.That((await client.NewOrderAsync("bomb@example.test")).Status, Is.EqualTo(HttpStatusCode.Created));
        }

        var refused = await client.NewOrderAsync("bomb@example.test");
        AssertProblem(refused, (HttpStatusCode)429, "rateLimited");
        Assert.That(refused.Headers.RetryAfter, Is.Not.Null);
    }
}
