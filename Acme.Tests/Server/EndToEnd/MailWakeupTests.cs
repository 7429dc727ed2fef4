using Acme.Server.Storage;
using Acme.Tests.Support;
using Acme.Tests.Support.Dns;
using Acme.Tests.Support.Mail;
using Acme.Validation.Dkim;
using Acme.Validation.KeyAuthorization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Issue 13: the mail loops sleep until there is work instead of polling. With a 15-second interval
/// and a clock that never moves, a queued mail is still sent and a reply dropped into the incoming
/// folder is still judged: the queue wakes the sender, the folder watcher wakes the reader.
/// </summary>
public sealed class MailWakeupTests : EndToEndTestBase
{
    private readonly FakeDkimKeyLookup _dns = new();

    protected override string[] Settings => ["Mail:RunInBackground=true", "Mail:FirstSendDelay=00:00:00", "Mail:LoopInterval=00:00:15"];

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IDkimKeyLookup>(_dns.PublishKey("rsa", "example.test", DkimTestKey.Rsa2048.TxtRecord));

    [Test]
    public async Task QueuedMailAndArrivingReply_WakeTheLoopsWithoutTheIntervalPassing()
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync("alice@example.test");
        var challenge = (await client.PostAsGetAsync(order.Json!["authorizations"]![0]!.GetValue<string>())).Json!["challenges"]![0]!;
        var outgoing = Path.Combine(Server.DataDirectory, "mail", "outgoing");

        Assert.That(await Eventually.HoldsAsync(() => Task.FromResult(Directory.Exists(outgoing) && Directory.GetFiles(outgoing, "*.eml").Length == 1), TimeSpan.FromSeconds(20)),
            Is.True, "the queued mail woke the sender");

        var db = Server.Services.GetRequiredService<Database>();
        var tokenPart1 = await db.ReadAsync(c => c.QuerySingleAsync<string>("SELECT token_part1 FROM challenges"), CancellationToken.None);
        var digest = ReplyDigest.Compute(tokenPart1, challenge["token"]!.GetValue<string>(), client.Key.Thumbprint, TokenJoin.String);
        var reply = TestReplyFactory.Acme4j(new ReplyContent("alice@example.test", challenge["from"]!.GetValue<string>(), tokenPart1, digest, null));
        TestReplyFactory.Sign(reply, DkimTestKey.Rsa2048, "example.test", "rsa", DateTimeOffset.UtcNow.AddMinutes(-1));
        await TestReplyFactory.DeliverAsync(Server.DataDirectory, reply);

        Assert.That(await Eventually.HoldsAsync(
                async () => await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<string?>("SELECT outcome FROM inbound_replies"), CancellationToken.None) is not null,
                TimeSpan.FromSeconds(20)),
            Is.True, "the arriving reply woke the reader");
    }
}
