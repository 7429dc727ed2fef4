using Acme.Email.Transport;
using Acme.Server.Storage;
using Acme.Server.Workflows;
using Acme.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Issue 9 item 4: a mail is claimed (sending, with a lease) before it is sent, so two senders (two
/// processes sharing the database) never both deliver it, and a claim whose sender died is taken over
/// only after its lease.
/// </summary>
public sealed class OutboxClaimTests : EndToEndTestBase
{
    private GatedTransport _transport = null!;

    protected override string[] Settings => ["Mail:RunInBackground=false", "Mail:FirstSendDelay=00:00:00"];

    /// <summary>Runs in each test's set-up: a fresh transport per test (NUnit shares one fixture instance).</summary>
    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IChallengeMailTransport>(_transport = new GatedTransport());

    private Database Db => Server.Services.GetRequiredService<Database>();

    private async Task QueueAsync(params string[] mailboxes)
    {
        var client = await ClientAsync();
        foreach (var mailbox in mailboxes)
        {
            var order = await client.NewOrderAsync(mailbox);
            await client.PostAsGetAsync(order.Json!["authorizations"]![0]!.GetValue<string>());
        }
    }

    [Test]
    public async Task TwoSenders_SameMails_EachDeliveredOnce()
    {
        await QueueAsync("a@example.test", "b@example.test", "c@example.test");
        // Two dispatchers with their own in-process gate: two server processes on one database.
        var first = ActivatorUtilities.CreateInstance<ChallengeMailDispatcher>(Server.Services);
        var second = ActivatorUtilities.CreateInstance<ChallengeMailDispatcher>(Server.Services);
        _transport.Hold();

        var passes = new[] { first.RunOnceAsync(CancellationToken.None), second.RunOnceAsync(CancellationToken.None) };
        await _transport.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        _transport.Release();
        var delivered = await Task.WhenAll(passes).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(delivered.Sum(), Is.EqualTo(3));
        Assert.That(_transport.Recipients.Order(), Is.EqualTo(new[] { "a@example.test", "b@example.test", "c@example.test" }), "no mail sent twice");
        Assert.That(await Db.ReadAsync(c => c.QuerySingleAsync<long>("SELECT COUNT(*) FROM challenge_mails WHERE status = 'sent' AND attempts = 1"), CancellationToken.None),
            Is.EqualTo(3));
    }

    [Test]
    public async Task ClaimOfADeadSender_TakenOverOnlyAfterItsLease()
    {
        await QueueAsync("a@example.test");
        var now = Server.Time.GetUtcNow().ToUnixTimeMilliseconds();
        // A sender claimed the mail and died before recording anything.
        await Db.WriteAsync(async (c, tx) => await c.ExecuteAsync(
            "UPDATE challenge_mails SET status = 'sending', attempts = 1, lease_until = @lease", new { lease = now + 15 * 60_000 }, tx), CancellationToken.None);
        var dispatcher = Server.Services.GetRequiredService<ChallengeMailDispatcher>();

        Assert.That(await dispatcher.RunOnceAsync(CancellationToken.None), Is.Zero, "still leased");
        Server.Time.Advance(TimeSpan.FromMinutes(15));
        Assert.That(await dispatcher.RunOnceAsync(CancellationToken.None), Is.EqualTo(1), "lease over: taken over");
        Assert.That(_transport.Recipients, Has.Count.EqualTo(1));
        Assert.That(await Db.ReadAsync(c => c.QuerySingleAsync<(string, long)>("SELECT status, attempts FROM challenge_mails"), CancellationToken.None),
            Is.EqualTo(("sent", 2L)));
    }

    [Test]
    public async Task LiveSender_RenewsItsClaim_NoOtherSenderTakesTheMailOver()
    {
        // Found by interop/scale: a fixed 15-minute lease stranded the mail of a killed sender that long.
        // Now the lease is short (Mail:SendLease, 1 minute) and a live sender renews it while the relay works.
        await QueueAsync("slow@example.test");
        var first = ActivatorUtilities.CreateInstance<ChallengeMailDispatcher>(Server.Services);
        var second = ActivatorUtilities.CreateInstance<ChallengeMailDispatcher>(Server.Services);
        _transport.Hold();
        var sending = first.RunOnceAsync(CancellationToken.None);
        await _transport.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));

        for (var step = 1; step <= 6; step++)
        {
            Server.Time.Advance(TimeSpan.FromSeconds(25)); // the relay is slow: 150 s in all, far past one lease
            var expected = Server.Time.GetUtcNow().ToUnixTimeMilliseconds();
            Assert.That(await Eventually.HoldsAsync(async () => await LeaseUntilAsync() > expected, TimeSpan.FromSeconds(10)), Is.True, $"renewed at step {step}");
            Assert.That(await second.RunOnceAsync(CancellationToken.None), Is.Zero, "the claim is alive");
        }

        _transport.Release();
        Assert.That(await sending.WaitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(1));
        Assert.That(_transport.Recipients, Has.Count.EqualTo(1), "sent once");
    }

    private Task<long> LeaseUntilAsync() =>
        Db.ReadAsync(c => c.QuerySingleAsync<long>("SELECT COALESCE(lease_until, 0) FROM challenge_mails"), CancellationToken.None);

    /// <summary>Counts deliveries; can hold every send until released, to widen the window between claim and record.</summary>
    private sealed class GatedTransport : IChallengeMailTransport
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _recipients = new();
        private TaskCompletionSource _gate = CompletedGate();

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyCollection<string> Recipients => _recipients;

        public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate.TrySetResult();

        public async Task<MailSendResult> SendAsync(MimeMessage message, CancellationToken ct)
        {
            _recipients.Enqueue(message.To.Mailboxes.Single().Address);
            Entered.TrySetResult();
            await _gate.Task.WaitAsync(ct);
            return MailSendResult.Delivered;
        }

        private static TaskCompletionSource CompletedGate()
        {
            var done = new TaskCompletionSource();
            done.SetResult();
            return done;
        }
    }
}
