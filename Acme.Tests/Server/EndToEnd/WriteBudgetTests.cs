using System.Text.Json.Nodes;
using Acme.Server.Storage;
using Acme.Server.Workflows;
using Acme.Tests.Support.Dns;
using Acme.Tests.Support.Mail;
using Acme.Tests.Support.Storage;
using Acme.Validation.Dkim;
using Acme.Validation.KeyAuthorization;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// How many commits one issuance costs (issue 13): every write transaction is a sync of the log with
/// SQLite's synchronous=FULL, so the count is what bounds throughput on one disk. A change that adds
/// one shows here first.
/// </summary>
public sealed class WriteBudgetTests : EndToEndTestBase
{
    private const string Mailbox = "alice@example.test";
    private const int ReadBudget = 21;
    private readonly FakeDkimKeyLookup _dns = new();
    private BreakableStorageEngine? _engine;

    protected override string[] Settings => ["Mail:RunInBackground=false"];

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IDkimKeyLookup>(_dns.PublishKey("rsa", "example.test", DkimTestKey.Rsa2048.TxtRecord));
        services.AddSingleton<IStorageEngine>(sp => _engine = BreakableStorageEngine.ForConfiguredProvider(sp));
    }

    // PostgreSQL also redeems each request's nonce in a statement of its own (shared nonces); those are not counted.
    [Test]
    public async Task OneMailboxIssuance_NineWriteTransactionsAtMost()
    {
        var client = await ClientAsync();
        var before = _engine!.WriteTransactions;
        var connectionsBefore = _engine.Connections;

        // newOrder; the authorization fetch creates token-part1 and queues the mail.
        var order = await client.NewOrderAsync(Mailbox);
        var authzUrl = order.Json!["authorizations"]![0]!.GetValue<string>();
        var challenge = (await client.PostAsGetAsync(authzUrl)).Json!["challenges"]![0]!;

        // The challenge mail: claimed, sent, recorded.
        Server.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.That(await Server.Services.GetRequiredService<ChallengeMailDispatcher>().RunOnceAsync(CancellationToken.None), Is.EqualTo(1));
        var mail = await MimeMessage.LoadAsync(Directory.GetFiles(Path.Combine(Server.DataDirectory, "mail", "outgoing"), "*.eml").Single());

        // The client POSTs first, then the reply arrives: recorded, judged, applied.
        var challengeUrl = challenge["url"]!.GetValue<string>();
        await client.PostAsync(challengeUrl, new JsonObject());
        var tokenPart1 = mail.Subject!["ACME: ".Length..];
        var digest = ReplyDigest.Compute(tokenPart1, challenge["token"]!.GetValue<string>(), client.Key.Thumbprint, TokenJoin.String);
        var reply = TestReplyFactory.Acme4j(new ReplyContent(Mailbox, challenge["from"]!.GetValue<string>(), tokenPart1, digest, mail.MessageId));
        TestReplyFactory.Sign(reply, DkimTestKey.Rsa2048, "example.test", "rsa", DateTimeOffset.UtcNow.AddMinutes(-1));
        await TestReplyFactory.DeliverAsync(Server.DataDirectory, reply);
        Assert.That(await Server.Services.GetRequiredService<ReplyProcessor>().RunOnceAsync(CancellationToken.None), Is.EqualTo(1));

        // Finalize and download.
        var ready = (await client.PostAsGetAsync(order.Location!)).Json!;
        Assert.That(ready["status"]!.GetValue<string>(), Is.EqualTo("ready"), ready.ToJsonString());
        var valid = await FinalizeAsync(client, ready, Csr("p256", Mailbox));
        Assert.That((await client.PostAsGetAsync(valid["certificate"]!.GetValue<string>())).Status, Is.EqualTo(System.Net.HttpStatusCode.OK));

        var writes = _engine.WriteTransactions - before;
        var reads = _engine.Connections - connectionsBefore - writes;
        TestContext.Out.WriteLine($"write transactions for one issuance: {writes}, reads outside them: {reads}");
        Assert.That(writes, Is.LessThanOrEqualTo(9), "newOrder with its CAA check 1, authorization 1, mail claim + sent 2, client POST 1, reply recorded 1, reply judged 1, finalize 2");
        if (_engine.Provider == StorageProvider.Sqlite)
        {
            // Each read outside a write is a read transaction of its own, which in WAL mode starts with an empty
            // page cache whenever anything committed since (issue 13). PostgreSQL adds its nonce redemptions.
            Assert.That(reads, Is.LessThanOrEqualTo(ReadBudget), "reads a write could make in its own transaction are made there");
        }
    }
}
