using System.Text.Json.Nodes;
using Acme.Server.Storage;
using Acme.Server.Workflows;
using Acme.Tests.Support.Dns;
using Acme.Tests.Support.Mail;
using Acme.Validation.Dkim;
using Acme.Validation.KeyAuthorization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Issue 9 item 1: an item whose handling throws is recorded as failed with its reason and audited,
/// and the next item is still handled in the same pass.
/// </summary>
public sealed class MailPoisonTests : EndToEndTestBase
{
    private readonly FakeDkimKeyLookup _dns = new();

    protected override string[] Settings => ["Mail:RunInBackground=false", "Mail:FirstSendDelay=00:00:00"];

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IDkimKeyLookup>(_dns.PublishKey("rsa", "example.test", DkimTestKey.Rsa2048.TxtRecord));

    private Database Db => Server.Services.GetRequiredService<Database>();

    private async Task<(AcmeTestClient Client, JsonNode Challenge)> QueuedChallengeAsync(AcmeTestClient client, string mailbox)
    {
        var order = await client.NewOrderAsync(mailbox);
        return (client, (await client.PostAsGetAsync(order.Json!["authorizations"]![0]!.GetValue<string>())).Json!["challenges"]![0]!);
    }

    private Task<T> QueryAsync<T>(string sql, object? args = null) => Db.ReadAsync(c => c.QuerySingleAsync<T>(sql, args), CancellationToken.None);

    private Task ExecuteAsync(string sql, object? args = null) => Db.WriteAsync(async (c, tx) => await c.ExecuteAsync(sql, args, tx), CancellationToken.None);

    [Test]
    public async Task Outbox_MailThatCannotBeBuilt_FailsItsChallenge_NextMailSentInSamePass()
    {
        var client = await ClientAsync();
        var (_, poisoned) = await QueuedChallengeAsync(client, "first@example.test");
        var (_, healthy) = await QueuedChallengeAsync(client, "second@example.test");
        // A row the builder refuses (what a quoted local part did before newOrder refused it), first in the batch.
        await ExecuteAsync("UPDATE challenge_mails SET recipient = '\"first\"@example.test', next_attempt_at = next_attempt_at - 1000 WHERE recipient = 'first@example.test'");

        var delivered = await Server.Services.GetRequiredService<ChallengeMailDispatcher>().RunOnceAsync(CancellationToken.None);

        Assert.That(delivered, Is.EqualTo(1), "the healthy mail is sent in the same pass");
        var (status, error) = await QueryAsync<(string, string)>("SELECT status, last_error FROM challenge_mails WHERE recipient LIKE '%first%'");
        Assert.That(status, Is.EqualTo("failed"));
        Assert.That(error, Does.Contain("could not be built"));
        var judged = (await client.PostAsGetAsync(poisoned["url"]!.GetValue<string>())).Json!;
        Assert.That(judged["status"]!.GetValue<string>(), Is.EqualTo("invalid"));
        Assert.That(judged["error"]!["type"]!.GetValue<string>(), Is.EqualTo("urn:ietf:params:acme:error:rejectedIdentifier"));
        Assert.That(judged["error"]!["detail"]!.GetValue<string>(), Does.Contain("could not be built"));
        Assert.That(await QueryAsync<long>("SELECT COUNT(*) FROM audit_events WHERE event = 'challenge.mail-failed'"), Is.EqualTo(1));
        Assert.That((await client.PostAsGetAsync(healthy["url"]!.GetValue<string>())).Json!["status"]!.GetValue<string>(), Is.EqualTo("pending"));
    }

    [Test]
    public async Task Replies_ReplyWhoseJudgingThrows_RecordedAsError_NextReplyJudgedInSamePass()
    {
        var client = await ClientAsync();
        var dispatcher = Server.Services.GetRequiredService<ChallengeMailDispatcher>();
        var (_, broken) = await QueuedChallengeAsync(client, "first@example.test");
        var (_, healthy) = await QueuedChallengeAsync(client, "second@example.test");
        Assert.That(await dispatcher.RunOnceAsync(CancellationToken.None), Is.EqualTo(2));
        // A corrupt authorization row: the verdict of its (verified) reply throws when it reads the status.
        await ExecuteAsync("UPDATE authorizations SET status = 'garbage' WHERE identifier = 'first@example.test'");
        await DropReplyAsync(client, broken, "first@example.test", "a-first.eml");
        Server.Time.Advance(TimeSpan.FromSeconds(1));
        await DropReplyAsync(client, healthy, "second@example.test", "b-second.eml");

        Assert.That(await Server.Services.GetRequiredService<ReplyProcessor>().RunOnceAsync(CancellationToken.None), Is.EqualTo(2));

        var outcomes = (await Db.ReadAsync(c => c.QueryAsync<(string Outcome, string Detail)>(
            "SELECT outcome, detail FROM inbound_replies ORDER BY source_id"), CancellationToken.None)).ToList();
        Assert.That(outcomes[0].Outcome, Is.EqualTo("error"));
        Assert.That(outcomes[0].Detail, Does.Contain("processing failed"));
        Assert.That(outcomes[1].Outcome, Is.EqualTo(nameof(VerdictResult.StoredAwaitingClient)));
        Assert.That(await QueryAsync<long>("SELECT COUNT(*) FROM audit_events WHERE event = 'reply.processed' AND detail LIKE '%: error: %'"), Is.EqualTo(1));
    }

    private async Task DropReplyAsync(AcmeTestClient client, JsonNode challenge, string mailbox, string name)
    {
        var mail = Directory.GetFiles(Path.Combine(Server.DataDirectory, "mail", "outgoing"), "*.eml")
            .Select(f => MimeMessage.Load(f)).Single(m => m.To.Mailboxes.Single().Address == mailbox);
        var tokenPart1 = mail.Subject!["ACME: ".Length..];
        var digest = ReplyDigest.Compute(tokenPart1, challenge["token"]!.GetValue<string>(), client.Key.Thumbprint, TokenJoin.String);
        var reply = TestReplyFactory.Acme4j(new ReplyContent(mailbox, challenge["from"]!.GetValue<string>(), tokenPart1, digest, mail.MessageId));
        TestReplyFactory.Sign(reply, DkimTestKey.Rsa2048, "example.test", "rsa", DateTimeOffset.UtcNow.AddMinutes(-1));
        var incoming = Path.Combine(Server.DataDirectory, "mail", "incoming", "new");
        Directory.CreateDirectory(incoming);
        await File.WriteAllBytesAsync(Path.Combine(incoming, name), TestReplyFactory.ToBytes(reply));
    }
}
