using System.Net;
using System.Text.Json.Nodes;
using Acme.Server.Workflows;
using Acme.Tests.Support.Certificates;
using Acme.Tests.Support.Jose;
using Acme.Tests.Support.Storage;
using Acme.Validation.Outcomes;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// One real server per test, started on loopback, plus helpers for the common flow steps. Every test runs
/// twice: on SQLite and on PostgreSQL (a fresh database per test), see <see cref="StorageMatrixAttribute"/>.
/// </summary>
[Category("Integration")]
[StorageMatrix]
public abstract class EndToEndTestBase
{
    protected RunningAcmeServer Server { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    /// <summary>Extra configuration, as <c>Section:Key=value</c>.</summary>
    protected virtual string[] Settings => [];

    /// <summary>Replaces registrations before the server starts (fakes at our seams).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    [SetUp]
    public async Task StartServerAsync()
    {
        Server = await RunningAcmeServer.StartAsync(ConfigureServices, [.. StorageMatrixAttribute.SettingsForCurrentTest(), .. Settings]);
        Http = Server.CreateHttpClient();
    }

    [TearDown]
    public async Task StopServerAsync()
    {
        Http?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }

    protected async Task<AcmeTestClient> ClientAsync(string alg = "ES256", bool register = true)
    {
        var client = new AcmeTestClient(Http, Server.DirectoryUrl, TestAccountKey.Create(alg));
        await client.InitializeAsync();
        if (register)
        {
            var created = await client.NewAccountAsync();
            Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.ToString());
        }

        return client;
    }

    /// <summary>The lifecycle path the reply handler calls: a judged reply for the challenge at <paramref name="challengeUrl"/>.</summary>
    protected Task<VerdictResult> ApplyReplyAsync(string challengeUrl, ValidationFailure? failure = null) =>
        Server.Services.GetRequiredService<ReplyVerdictService>().ApplyAsync(LastSegment(challengeUrl), failure, CancellationToken.None);

    protected static string LastSegment(string url) => url[(url.LastIndexOf('/') + 1)..];

    /// <summary>Places an order, fetches each authorization, records a verified reply and POSTs the challenge.</summary>
    protected async Task<JsonNode> ReadyOrderAsync(AcmeTestClient client, params string[] mailboxes)
    {
        var order = await client.NewOrderAsync(mailboxes);
        Assert.That(order.Status, Is.EqualTo(HttpStatusCode.Created), order.ToString());
        foreach (var authzUrl in order.Json!["authorizations"]!.AsArray().Select(a => a!.GetValue<string>()))
        {
            var challengeUrl = (await client.PostAsGetAsync(authzUrl)).Json!["challenges"]![0]!["url"]!.GetValue<string>();
            Assert.That(await ApplyReplyAsync(challengeUrl), Is.EqualTo(VerdictResult.StoredAwaitingClient));
            var posted = await client.PostAsync(challengeUrl, new JsonObject());
            Assert.That(posted.Json!["status"]!.GetValue<string>(), Is.EqualTo("valid"), posted.ToString());
        }

        var refreshed = await client.PostAsGetAsync(order.Location!);
        var json = refreshed.Json!;
        Assert.That(json["status"]!.GetValue<string>(), Is.EqualTo("ready"), refreshed.ToString());
        json["url"] = order.Location;
        return json;
    }

    protected static byte[] Csr(string keyKind, params string[] mailboxes)
    {
        var builder = TestCsrBuilder.ForKey(TestKeys.Get(keyKind));
        foreach (var mailbox in mailboxes)
        {
            builder = builder.WithRfc822(mailbox);
        }

        return builder.Build();
    }

    /// <summary>Finalizes a ready order and returns the valid order JSON.</summary>
    protected static async Task<JsonNode> FinalizeAsync(AcmeTestClient client, JsonNode readyOrder, byte[] csr)
    {
        var finalized = await client.FinalizeAsync(readyOrder["finalize"]!.GetValue<string>(), csr);
        Assert.That(finalized.Status, Is.EqualTo(HttpStatusCode.OK), finalized.ToString());
        Assert.That(finalized.Json!["status"]!.GetValue<string>(), Is.EqualTo("valid"));
        return finalized.Json!;
    }

    protected static void AssertProblem(AcmeResponse response, HttpStatusCode status, string type)
    {
        Assert.That(response.Status, Is.EqualTo(status), response.ToString());
        Assert.That(response.ContentType, Does.StartWith("application/problem+json"));
        Assert.That(response.ProblemType, Is.EqualTo("urn:ietf:params:acme:error:" + type), response.ToString());
        Assert.That(response.Nonce, Is.Not.Null, "RFC 8555 §6.5: Replay-Nonce on error responses too");
    }
}
