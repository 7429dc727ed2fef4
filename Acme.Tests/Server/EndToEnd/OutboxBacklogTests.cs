using Acme.Server.Storage;
using Acme.Server.Workflows;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Issue 13: a backlog of challenge mails larger than one batch (20) goes out in one pass. Before, a pass sent one
/// batch and the loop slept until the next wake-up or its interval: with 100,000 pending authorizations queued by the
/// benchmark, 67,000 mails waited, drained at 20 a second.
/// </summary>
public sealed class OutboxBacklogTests : EndToEndTestBase
{
    protected override string[] Settings => ["Mail:RunInBackground=false", "Mail:FirstSendDelay=00:00:00"];

    [Test]
    public async Task ABacklogOfSeveralBatches_GoesOutInOnePass()
    {
        var client = await ClientAsync();
        for (var i = 0; i < 45; i++)
        {
            var order = await client.NewOrderAsync($"backlog{i}@example.test");
            await client.PostAsGetAsync(order.Json!["authorizations"]![0]!.GetValue<string>());
        }

        var delivered = await Server.Services.GetRequiredService<ChallengeMailDispatcher>().RunOnceAsync(CancellationToken.None);

        Assert.That(delivered, Is.EqualTo(45));
        var queued = await Server.Services.GetRequiredService<Database>().ReadAsync(
            c => c.QuerySingleAsync<long>("SELECT COUNT(*) FROM challenge_mails WHERE status <> 'sent'"), CancellationToken.None);
        Assert.That(queued, Is.Zero);
    }
}
