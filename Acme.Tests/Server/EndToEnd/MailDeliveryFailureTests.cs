using System.Net;
using System.Net.Sockets;
using Acme.Server.Storage;
using Acme.Server.Workflows;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>An SMTP server that never answers: retries with backoff, then the challenge turns invalid when the token expires.</summary>
public sealed class MailDeliveryFailureTests : EndToEndTestBase
{
    private static readonly int ClosedPort = FindClosedPort();

    protected override string[] Settings =>
        ["Mail:RunInBackground=false", "Smtp:Host=127.0.0.1", $"Smtp:Port={ClosedPort}", "Smtp:Security=None", "Smtp:Timeout=00:00:05"];

    private static int FindClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Test]
    public async Task Undeliverable_RetriesThenChallengeInvalidWithConnectionProblem()
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync("zoe@example.test");
        var challenge = (await client.PostAsGetAsync(order.Json!["authorizations"]![0]!.GetValue<string>())).Json!["challenges"]![0]!;
        var dispatcher = Server.Services.GetRequiredService<ChallengeMailDispatcher>();

        Server.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.That(await dispatcher.RunOnceAsync(CancellationToken.None), Is.Zero);
        var db = Server.Services.GetRequiredService<Database>();
        var (attempts, error) = await db.ReadAsync(c => c.QuerySingleAsync<(long, string)>("SELECT attempts, last_error FROM challenge_mails"), CancellationToken.None);
        Assert.That(attempts, Is.EqualTo(1));
        Assert.That(error, Is.Not.Empty);
        Assert.That((await client.PostAsGetAsync(challenge["url"]!.GetValue<string>())).Json!["status"]!.GetValue<string>(), Is.EqualTo("pending"));

        Server.Time.Advance(TimeSpan.FromHours(24));
        await dispatcher.RunOnceAsync(CancellationToken.None);
        var judged = (await client.PostAsGetAsync(challenge["url"]!.GetValue<string>())).Json!;
        Assert.That(judged["status"]!.GetValue<string>(), Is.EqualTo("invalid"));
        Assert.That(judged["error"]!["type"]!.GetValue<string>(), Is.EqualTo("urn:ietf:params:acme:error:connection"));
        Assert.That(judged["error"]!["detail"]!.GetValue<string>(), Does.Contain("before the token expired"));
    }
}
