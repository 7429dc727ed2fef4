using System.Text.Json.Nodes;
using Acme.Server.Storage;
using Acme.Server.Workflows;
using Acme.Tests.Support;
using Acme.Tests.Support.Dns;
using Acme.Tests.Support.Mail;
using Acme.Validation.Dkim;
using Acme.Validation.KeyAuthorization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Issue 9 item 2: a reply whose DKIM key lookup fails temporarily is deferred on its own schedule
/// (exponential backoff until its Random Value expires) and cannot hold up newer replies; a pass
/// stops waiting for DNS after its budget.
/// </summary>
public sealed class ReplyScheduleTests : EndToEndTestBase
{
    private const string SlowKey = "rsa._domainkey.slow.example.test";
    private FakeDkimKeyLookup _dns = null!;

    protected override string[] Settings => ["Mail:RunInBackground=false", "Mail:FirstSendDelay=00:00:00", "Mail:ReplyDnsBudgetPerPass=00:00:05"];

    /// <summary>Runs in each test's set-up: fresh DNS answers per test (NUnit shares one fixture instance).</summary>
    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IDkimKeyLookup>(_dns = new FakeDkimKeyLookup()
            .PublishKey("rsa", "example.test", DkimTestKey.Rsa2048.TxtRecord)
            .PublishKey("rsa", "slow.example.test", DkimTestKey.Rsa2048.TxtRecord));

    private Database Db => Server.Services.GetRequiredService<Database>();

    private ReplyProcessor Replies => Server.Services.GetRequiredService<ReplyProcessor>();

    [Test]
    public async Task FiftyFiveDeferredReplies_DoNotHoldUpANewerReply()
    {
        _dns.FailTemporarily(SlowKey);
        var client = await ClientAsync();
        var slow = await ChallengeAsync(client, "mallory@slow.example.test");
        var good = await ChallengeAsync(client, "alice@example.test");
        var slowReply = Reply(client, slow);
        for (var i = 0; i < 55; i++)
        {
            await DropAsync(slowReply, $"a-{i:D2}.eml");
        }

        // The slow replies arrive first (two passes to take them all in), the good one later.
        for (var pass = 0; pass < 2; pass++)
        {
            await Replies.RunOnceAsync(CancellationToken.None);
            Server.Time.Advance(TimeSpan.FromSeconds(1));
        }

        await DropAsync(Reply(client, good), "b-good.eml");
        await Replies.RunOnceAsync(CancellationToken.None);

        Assert.That(await OutcomeAsync("b-good.eml"), Is.EqualTo(nameof(VerdictResult.StoredAwaitingClient)));
        var deferred = await Db.ReadAsync(c => c.QuerySingleAsync<(long Count, long MaxAttempts)>(
            "SELECT COUNT(*), MAX(attempts) FROM inbound_replies WHERE processed_at IS NULL"), CancellationToken.None);
        Assert.That(deferred.Count, Is.EqualTo(55), "the slow replies wait for their next attempt");
        Assert.That(deferred.MaxAttempts, Is.EqualTo(1), "a deferred reply is not tried again before its backoff has passed");
    }

    [Test]
    public async Task DeferredReply_RetriedAfterBackoff_JudgedWhenDnsRecovers()
    {
        _dns.FailTemporarily(SlowKey);
        var client = await ClientAsync();
        var slow = await ChallengeAsync(client, "mallory@slow.example.test");
        await DropAsync(Reply(client, slow), "slow.eml");
        await Replies.RunOnceAsync(CancellationToken.None);
        var (attempts, next, error) = await Db.ReadAsync(c => c.QuerySingleAsync<(long, long, string)>(
            "SELECT attempts, next_attempt_at, last_error FROM inbound_replies"), CancellationToken.None);
        Assert.That(attempts, Is.EqualTo(1));
        Assert.That(next - Server.Time.GetUtcNow().ToUnixTimeMilliseconds(), Is.EqualTo(30_000), "first retry after 30 s");
        Assert.That(error, Does.Contain("SERVFAIL"));

        var queries = _dns.Queries.Count;
        await Replies.RunOnceAsync(CancellationToken.None);
        Assert.That(_dns.Queries, Has.Count.EqualTo(queries), "not tried again before its time");

        _dns.Recover(SlowKey);
        Server.Time.Advance(TimeSpan.FromSeconds(30));
        await Replies.RunOnceAsync(CancellationToken.None);
        Assert.That(await OutcomeAsync("slow.eml"), Is.EqualTo(nameof(VerdictResult.StoredAwaitingClient)));
    }

    [Test]
    public async Task DeferredReply_BackoffDoubles_ThenFailsWhenTheRandomValueExpires()
    {
        _dns.FailTemporarily(SlowKey);
        var client = await ClientAsync();
        var slow = await ChallengeAsync(client, "mallory@slow.example.test");
        await DropAsync(Reply(client, slow), "slow.eml");
        var gaps = new List<long>();
        for (var round = 0; round < 40 && await OutcomeAsync("slow.eml") is null; round++)
        {
            await Replies.RunOnceAsync(CancellationToken.None);
            var next = await Db.ReadAsync(c => c.QuerySingleAsync<long>("SELECT next_attempt_at FROM inbound_replies"), CancellationToken.None);
            var wait = next - Server.Time.GetUtcNow().ToUnixTimeMilliseconds();
            gaps.Add(wait);
            Server.Time.Advance(TimeSpan.FromMilliseconds(Math.Max(wait, 1)));
        }

        Assert.That(gaps.Take(4), Is.EqualTo(new long[] { 30_000, 60_000, 120_000, 240_000 }));
        Assert.That(gaps.Max(), Is.LessThanOrEqualTo(3_600_000), "backoff capped at one hour");
        var judged = (await client.PostAsGetAsync(slow["url"]!.GetValue<string>())).Json!;
        Assert.That(judged["status"]!.GetValue<string>(), Is.EqualTo("invalid"));
        Assert.That(judged["error"]!["type"]!.GetValue<string>(), Is.EqualTo("urn:ietf:params:acme:error:dns"));
    }

    [Test]
    public async Task SilentDns_PassStopsWaitingAfterItsBudget_OtherRepliesJudged()
    {
        _dns.StaySilent(SlowKey);
        var client = await ClientAsync();
        var slow = await ChallengeAsync(client, "mallory@slow.example.test");
        var good = await ChallengeAsync(client, "alice@example.test");
        await DropAsync(Reply(client, slow), "a-slow.eml");
        await DropAsync(Reply(client, good), "b-good.eml");

        var pass = Replies.RunOnceAsync(CancellationToken.None);
        Assert.That(await Eventually.HoldsAsync(async () => _dns.Queries.Contains(SlowKey) && await OutcomeAsync("b-good.eml") is not null, TimeSpan.FromSeconds(20)),
            Is.True, "the good reply is judged while the slow lookup hangs");
        Server.Time.Advance(TimeSpan.FromSeconds(5));
        await pass.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.That(await OutcomeAsync("b-good.eml"), Is.EqualTo(nameof(VerdictResult.StoredAwaitingClient)));
        var (attempts, error) = await Db.ReadAsync(c => c.QuerySingleAsync<(long, string)>(
            "SELECT attempts, last_error FROM inbound_replies WHERE source_id = 'file:a-slow.eml'"), CancellationToken.None);
        Assert.That(attempts, Is.EqualTo(1));
        Assert.That(error, Does.Contain("DNS time ran out"));
    }

    private async Task<JsonNode> ChallengeAsync(AcmeTestClient client, string mailbox)
    {
        var order = await client.NewOrderAsync(mailbox);
        var challenge = (await client.PostAsGetAsync(order.Json!["authorizations"]![0]!.GetValue<string>())).Json!["challenges"]![0]!;
        await Server.Services.GetRequiredService<ChallengeMailDispatcher>().RunOnceAsync(CancellationToken.None);
        challenge["mailbox"] = mailbox;
        return challenge;
    }

    private MimeMessage Reply(AcmeTestClient client, JsonNode challenge)
    {
        var mailbox = challenge["mailbox"]!.GetValue<string>();
        var mail = Directory.GetFiles(Path.Combine(Server.DataDirectory, "mail", "outgoing"), "*.eml")
            .Select(f => MimeMessage.Load(f)).Single(m => m.To.Mailboxes.Single().Address == mailbox);
        var tokenPart1 = mail.Subject!["ACME: ".Length..];
        var digest = ReplyDigest.Compute(tokenPart1, challenge["token"]!.GetValue<string>(), client.Key.Thumbprint, TokenJoin.String);
        var reply = TestReplyFactory.Acme4j(new ReplyContent(mailbox, challenge["from"]!.GetValue<string>(), tokenPart1, digest, mail.MessageId));
        TestReplyFactory.Sign(reply, DkimTestKey.Rsa2048, mailbox.Split('@')[1], "rsa", DateTimeOffset.UtcNow.AddMinutes(-1));
        return reply;
    }

    private async Task DropAsync(MimeMessage reply, string name)
    {
        var incoming = Path.Combine(Server.DataDirectory, "mail", "incoming", "new");
        Directory.CreateDirectory(incoming);
        await File.WriteAllBytesAsync(Path.Combine(incoming, name), TestReplyFactory.ToBytes(reply));
    }

    private Task<string?> OutcomeAsync(string file) =>
        Db.ReadAsync(c => c.QuerySingleOrDefaultAsync<string?>("SELECT outcome FROM inbound_replies WHERE source_id = @id", new { id = "file:" + file }), CancellationToken.None);
}
