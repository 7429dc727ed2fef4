using System.Net;
using System.Text.Json.Nodes;
using Acme.Email.Transport;
using Acme.Server.Storage;
using Acme.Server.Workflows;
using Acme.Tests.Support.Storage;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// <c>/health/live</c> and <c>/health/ready</c>: JSON naming each check, outside the ACME protocol (no nonce,
/// no problem document), and 503 as soon as one readiness check fails.
/// </summary>
public sealed class HealthTests : EndToEndTestBase
{
    private readonly SwitchableTransport _transport = new();
    private BreakableStorageEngine? _engine;

    protected override string[] Settings => ["Mail:RunInBackground=false", "Health:MaxQueuedMailAge=00:30:00"];

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IChallengeMailTransport>(_transport);
        services.AddSingleton<IStorageEngine>(sp => _engine = BreakableStorageEngine.ForConfiguredProvider(sp));
    }

    private async Task<(HttpStatusCode Status, JsonNode Body, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await Http.GetAsync(Server.Urls.Base + path);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), body.ToJsonString());
        return (response.StatusCode, body, response);
    }

    private static string CheckStatus(JsonNode body, string name) =>
        body["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!["status"]!.GetValue<string>();

    private static string CheckDescription(JsonNode body, string name) =>
        body["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!["description"]!.GetValue<string>();

    [Test]
    public async Task Live_AnswersHealthy_WithoutNonce()
    {
        var (status, body, response) = await GetAsync("/health/live");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body["status"]!.GetValue<string>(), Is.EqualTo("healthy"));
        Assert.That(response.Headers.Contains("Replay-Nonce"), Is.False, "not an ACME resource");
    }

    [Test]
    public async Task Ready_NamesEveryCheck_AllHealthy()
    {
        var (status, body, _) = await GetAsync("/health/ready");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        Assert.That(body["status"]!.GetValue<string>(), Is.EqualTo("healthy"));
        Assert.That(body["checks"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()),
            Is.EquivalentTo(new[] { "database", "ca-key", "mail-servers", "mail-queue" }));
        Assert.That(body["checks"]!.AsArray().Select(c => c!["status"]!.GetValue<string>()), Is.All.EqualTo("healthy"));
        Assert.That(CheckDescription(body, "ca-key"), Does.Contain("signs a probe"));
    }

    [Test]
    public async Task Ready_DatabaseDoesNotAnswer_503()
    {
        _engine!.Down = true;
        var (status, body, response) = await GetAsync("/health/ready");
        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), body.ToJsonString());
        Assert.That(body["status"]!.GetValue<string>(), Is.EqualTo("unhealthy"));
        Assert.That(CheckStatus(body, "database"), Is.EqualTo("unhealthy"));
        Assert.That(CheckDescription(body, "database"), Does.Contain("does not answer"));
        Assert.That(CheckStatus(body, "ca-key"), Is.EqualTo("healthy"));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.Not.EqualTo("application/problem+json"));

        _engine.Down = false;
        Assert.That((await GetAsync("/health/ready")).Status, Is.EqualTo(HttpStatusCode.OK), "ready again once the database answers");
    }

    [Test]
    public async Task Ready_SmtpFailedAtLastSend_503_UntilASendSucceeds()
    {
        await QueueChallengeMailAsync("carol@example.test");
        _transport.Failing = true;
        Server.Time.Advance(TimeSpan.FromSeconds(3));
        await Server.Services.GetRequiredService<ChallengeMailDispatcher>().RunOnceAsync(CancellationToken.None);

        var (status, body, _) = await GetAsync("/health/ready");
        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), body.ToJsonString());
        Assert.That(CheckStatus(body, "mail-servers"), Is.EqualTo("unhealthy"));
        Assert.That(CheckDescription(body, "mail-servers"), Does.Contain("SMTP: failed").And.Contain("relay unreachable"));

        _transport.Failing = false;
        Server.Time.Advance(TimeSpan.FromMinutes(5)); // past the retry backoff
        Assert.That(await Server.Services.GetRequiredService<ChallengeMailDispatcher>().RunOnceAsync(CancellationToken.None), Is.EqualTo(1));
        var (after, afterBody, _) = await GetAsync("/health/ready");
        Assert.That(after, Is.EqualTo(HttpStatusCode.OK), afterBody.ToJsonString());
        Assert.That(CheckDescription(afterBody, "mail-servers"), Does.Contain("SMTP: reached"));
    }

    [Test]
    public async Task Ready_QueuedMailOlderThanThreshold_503()
    {
        await QueueChallengeMailAsync("dave@example.test");
        Assert.That((await GetAsync("/health/ready")).Status, Is.EqualTo(HttpStatusCode.OK), "a fresh queued mail is fine");

        Server.Time.Advance(TimeSpan.FromMinutes(31)); // nobody sends: Mail:RunInBackground=false
        var (status, body, _) = await GetAsync("/health/ready");
        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), body.ToJsonString());
        Assert.That(CheckStatus(body, "mail-queue"), Is.EqualTo("unhealthy"));
        Assert.That(CheckDescription(body, "mail-queue"), Does.Contain("Health:MaxQueuedMailAge"));
        Assert.That(CheckStatus(body, "database"), Is.EqualTo("healthy"));
    }

    /// <summary>An order whose authorization is fetched: its challenge mail is queued.</summary>
    private async Task QueueChallengeMailAsync(string mailbox)
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync(mailbox);
        await client.PostAsGetAsync(order.Json!["authorizations"]![0]!.GetValue<string>());
    }

    /// <summary>A relay that can be made unreachable.</summary>
    private sealed class SwitchableTransport : IChallengeMailTransport
    {
        public volatile bool Failing;

        public Task<MailSendResult> SendAsync(MimeMessage message, CancellationToken ct) =>
            Task.FromResult(Failing ? MailSendResult.RetryLater("relay unreachable (test)") : MailSendResult.Delivered);
    }
}
