using Acme.Email.Transport;
using Acme.Server.Storage;
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
/// Issue 9 item 1: sending and reading are separate loops, so a relay that hangs does not stop
/// replies from being judged.
/// </summary>
public sealed class MailLoopTests : EndToEndTestBase
{
    private readonly FakeDkimKeyLookup _dns = new();
    private readonly HangingTransport _transport = new();

    protected override string[] Settings => ["Mail:RunInBackground=true", "Mail:FirstSendDelay=00:00:00", "Mail:LoopInterval=00:00:00.100"];

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IDkimKeyLookup>(_dns.PublishKey("rsa", "example.test", DkimTestKey.Rsa2048.TxtRecord));
        services.AddSingleton<IChallengeMailTransport>(_transport);
    }

    [Test]
    public async Task RelayHangs_RepliesAreStillJudged()
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync("alice@example.test");
        var challenge = (await client.PostAsGetAsync(order.Json!["authorizations"]![0]!.GetValue<string>())).Json!["challenges"]![0]!;
        var db = Server.Services.GetRequiredService<Database>();
        Assert.That(await Eventually.HoldsAsync(() => Task.FromResult(_transport.Calls > 0), TimeSpan.FromSeconds(20), () => Server.Time.Advance(TimeSpan.FromMilliseconds(100))),
            Is.True, "the sending loop took the mail and hangs in the relay");

        var tokenPart1 = await db.ReadAsync(c => c.QuerySingleAsync<string>("SELECT token_part1 FROM challenges"), CancellationToken.None);
        var digest = ReplyDigest.Compute(tokenPart1, challenge["token"]!.GetValue<string>(), client.Key.Thumbprint, TokenJoin.String);
        var reply = TestReplyFactory.Acme4j(new ReplyContent("alice@example.test", challenge["from"]!.GetValue<string>(), tokenPart1, digest, null));
        TestReplyFactory.Sign(reply, DkimTestKey.Rsa2048, "example.test", "rsa", DateTimeOffset.UtcNow.AddMinutes(-1));
        await TestReplyFactory.DeliverAsync(Server.DataDirectory, reply); // the reading loop runs: never a half-written file

        Assert.That(await Eventually.HoldsAsync(
                async () => await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<string?>("SELECT outcome FROM inbound_replies"), CancellationToken.None) is not null,
                TimeSpan.FromSeconds(20), () => Server.Time.Advance(TimeSpan.FromMilliseconds(100))),
            Is.True, "the reading loop judged the reply while the sending loop waits for the relay");
    }

    /// <summary>A relay that accepts the connection and never answers (until shutdown).</summary>
    private sealed class HangingTransport : IChallengeMailTransport
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public async Task<MailSendResult> SendAsync(MimeMessage message, CancellationToken ct)
        {
            Interlocked.Increment(ref _calls);
            await new TaskCompletionSource().Task.WaitAsync(ct);
            return MailSendResult.Delivered;
        }
    }
}
