using System.Net;
using System.Net.Sockets;
using Acme.Server.Lifecycle;
using Acme.Server.Storage;
using Acme.Server.Workflows;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Issue 12 §4 mail: the outbox as the operator sees it (a relay that refuses connections leaves mails
/// queued with their last error), and retry of a failed mail only while its challenge can still use it.
/// </summary>
public sealed class OperatorMailTests : OperatorCommandTestBase
{
    private static readonly int ClosedPort = FindClosedPort();

    protected override string[] Settings =>
        ["Mail:RunInBackground=false", "Smtp:Host=127.0.0.1", $"Smtp:Port={ClosedPort}", "Smtp:Security=None", "Smtp:Timeout=00:00:05"];

    private Database Db => Server.Services.GetRequiredService<Database>();

    private IOutboxStore Outbox => Server.Services.GetRequiredService<IOutboxStore>();

    private static int FindClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Orders for <paramref name="mailbox"/> and fetches the authorization, which queues the challenge mail; returns the mail.</summary>
    private async Task<ChallengeMailRow> QueuedMailAsync(AcmeTestClient client, string mailbox)
    {
        var order = await client.NewOrderAsync(mailbox);
        var challengeId = LastSegment((await client.PostAsGetAsync(order.Json!["authorizations"]![0]!.GetValue<string>())).Json!["challenges"]![0]!["url"]!.GetValue<string>());
        return (await Db.ReadAsync(c => Outbox.FindByChallengeAsync(c, challengeId), CancellationToken.None))!;
    }

    /// <summary>
    /// A failed mail whose challenge still waits: the sender recorded the failure but stopped before it
    /// judged the challenge (the process died between the two writes).
    /// </summary>
    private async Task FailWithoutVerdictAsync(ChallengeMailRow mail)
    {
        var now = Math.Max(Server.Time.GetUtcNow().ToUnixTimeMilliseconds(), mail.NextAttemptAt); // claimed when it falls due
        var claimed = await Db.WriteAsync((c, tx) => Outbox.TryClaimAsync(c, tx, mail.Id, now, now + 60_000), CancellationToken.None);
        Assert.That(await Db.WriteAsync((c, tx) => Outbox.MarkFailedAsync(c, tx, mail.Id, claimed!.Attempts, "relay said 554"), CancellationToken.None), Is.True);
    }

    private Task<ChallengeMailStatus> StatusAsync(ChallengeMailRow mail) =>
        Db.ReadAsync(async c => (await Outbox.FindByChallengeAsync(c, mail.ChallengeId))!.Status, CancellationToken.None);

    [Test]
    public async Task Queue_DeferredMail_ShownWithAgeAndLastError_FailuresListsOnlyFailed()
    {
        var client = await ClientAsync();
        var deferred = await QueuedMailAsync(client, "nina@example.test");
        var failed = await QueuedMailAsync(client, "omar@example.test");
        await FailWithoutVerdictAsync(failed);
        Server.Time.Advance(TimeSpan.FromMinutes(3));
        await Server.Services.GetRequiredService<ChallengeMailDispatcher>().RunOnceAsync(CancellationToken.None);
        Server.Time.Advance(TimeSpan.FromHours(2));

        var queue = await RunAsync("mail", "queue");
        Assert.That(queue.Code, Is.Zero, queue.Error);
        var line = queue.Output.Split('\n').Single(l => l.StartsWith(deferred.Id, StringComparison.Ordinal));
        Assert.That(line, Does.Contain("\tqueued\tnina@example.test\t2h 3m\t1\t"));
        Assert.That(line.Split('\t')[^1].Trim(), Is.Not.EqualTo("-"), "the relay's error");
        Assert.That(queue.Output, Does.Contain(failed.Id).And.Contain("relay said 554"));

        var failures = await RunAsync("mail", "failures");
        Assert.That(failures.Output, Does.Contain(failed.Id).And.Not.Contain(deferred.Id));
    }

    [Test]
    public async Task Retry_FailedMailOfPendingChallenge_QueuedAgainAndAudited()
    {
        var mail = await QueuedMailAsync(await ClientAsync(), "pia@example.test");
        await FailWithoutVerdictAsync(mail);

        var (code, output, error) = await RunAsync("mail", "retry", mail.Id);
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain("queued again for pia@example.test"));
        Assert.That(await StatusAsync(mail), Is.EqualTo(ChallengeMailStatus.Queued));
        Assert.That(await Db.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_events WHERE event = 'challenge.mail-requeued' AND actor LIKE 'operator:%' AND challenge_id = @id", new { id = mail.ChallengeId }), CancellationToken.None),
            Is.EqualTo(1));

        var again = await RunAsync("mail", "retry", mail.Id);
        Assert.That(again.Code, Is.EqualTo(1));
        Assert.That(again.Error, Does.Contain("the mail is queued, not failed"));
    }

    [Test]
    public async Task Retry_TokenExpired_Refused()
    {
        var mail = await QueuedMailAsync(await ClientAsync(), "quinn@example.test");
        await FailWithoutVerdictAsync(mail);
        Server.Time.Advance(TimeSpan.FromHours(25));

        var (code, _, error) = await RunAsync("mail", "retry", mail.Id);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("token expired"));
        Assert.That(await StatusAsync(mail), Is.EqualTo(ChallengeMailStatus.Failed));
    }

    [Test]
    public async Task Retry_ChallengeAlreadyInvalid_Refused()
    {
        var client = await ClientAsync();
        var mail = await QueuedMailAsync(client, "rosa@example.test");
        var dispatcher = Server.Services.GetRequiredService<ChallengeMailDispatcher>();
        Server.Time.Advance(TimeSpan.FromMinutes(1));
        await dispatcher.RunOnceAsync(CancellationToken.None);
        Server.Time.Advance(TimeSpan.FromHours(24));
        await dispatcher.RunOnceAsync(CancellationToken.None); // undeliverable before the token expired: failed, challenge invalid
        Assert.That(await StatusAsync(mail), Is.EqualTo(ChallengeMailStatus.Failed));

        var (code, _, error) = await RunAsync("mail", "retry", mail.Id);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("its challenge is invalid"));
    }
}
