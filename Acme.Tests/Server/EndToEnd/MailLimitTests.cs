using System.Net;
using Acme.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Issue 9 item 7: the mail-bombing limits count the inbox, not the spelling (case and plus tags
/// folded for counting only), and a per-domain cap per hour holds across accounts.
/// </summary>
public sealed class MailLimitTests : EndToEndTestBase
{
    private MailOptions? _mail;

    protected override string[] Settings => ["Mail:RunInBackground=false", "Mail:MaxChallengesPerDomainPerHour=12"];

    // The options object the server reads, so a test can lower a limit as an operator's restart would.
    protected override void ConfigureServices(IServiceCollection services) => services.PostConfigure<MailOptions>(o => _mail = o);

    [Test]
    public async Task EverySpellingOfOneInbox_SharesTheDailyLimit()
    {
        var client = await ClientAsync();
        string[] spellings = ["vic@bomb.example.test", "VIC@bomb.example.test", "Vic@bomb.example.test", "vic+1@bomb.example.test", "vic+2@bomb.example.test"];
        for (var i = 0; i < 10; i++)
        {
            var created = await client.NewOrderAsync(spellings[i % spellings.Length]);
            Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.ToString());
        }

        foreach (var spelling in spellings.Append("vic+new@BOMB.example.test"))
        {
            var refused = await client.NewOrderAsync(spelling);
            AssertProblem(refused, (HttpStatusCode)429, "rateLimited");
            Assert.That(refused.Json!["detail"]!.GetValue<string>(), Does.Contain("vic@bomb.example.test").And.Contain("every spelling"));
            Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromDays(1)), "the oldest counted mail leaves the window in 24 h");
        }

        Server.Time.Advance(TimeSpan.FromHours(23));
        AssertProblem(await client.NewOrderAsync("vic@bomb.example.test"), (HttpStatusCode)429, "rateLimited");
        Server.Time.Advance(TimeSpan.FromHours(1));
        Assert.That((await client.NewOrderAsync("vic@bomb.example.test")).Status, Is.EqualTo(HttpStatusCode.Created), "a day later the inbox may be mailed again");
    }

    [Test]
    public async Task OneDomain_CappedPerHourAcrossAccounts()
    {
        for (var account = 0; account < 3; account++)
        {
            var client = await ClientAsync();
            for (var i = 0; i < 4; i++)
            {
                Assert.That((await client.NewOrderAsync($"user{account}-{i}@victim.example.test")).Status, Is.EqualTo(HttpStatusCode.Created));
            }
        }

        var another = await ClientAsync();
        var refused = await another.NewOrderAsync("fresh@victim.example.test");
        AssertProblem(refused, (HttpStatusCode)429, "rateLimited");
        Assert.That(refused.Json!["detail"]!.GetValue<string>(), Does.Contain("victim.example.test").And.Contain("MaxChallengesPerDomainPerHour"));
        Assert.That(refused.Headers.RetryAfter, Is.Not.Null);
        Assert.That((await another.NewOrderAsync("fresh@other.example.test")).Status, Is.EqualTo(HttpStatusCode.Created), "other domains are not affected");
    }

    [Test]
    public async Task LimitLoweredBelowTheWindow_RetryAfterIsWhenASlotFrees()
    {
        var client = await ClientAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.That((await client.NewOrderAsync($"user{i}@lowered.example.test")).Status, Is.EqualTo(HttpStatusCode.Created));
            Server.Time.Advance(TimeSpan.FromMinutes(10));
        }

        // Five in the window (at 0, 10, 20, 30, 40 min), now 50 min, limit 2: a slot frees when the second newest
        // (30 min) leaves the hour, in 40 min; the oldest of all (0 min) would say 10 min, and be refused again then.
        _mail!.MaxChallengesPerDomainPerHour = 2;
        var refused = await client.NewOrderAsync("fresh@lowered.example.test");
        AssertProblem(refused, (HttpStatusCode)429, "rateLimited");
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromMinutes(40)));
        Assert.That(refused.Json!["detail"]!.GetValue<string>(), Does.Contain("received 2 challenge mails in the last hour"));
        Server.Time.Advance(TimeSpan.FromMinutes(40) - TimeSpan.FromSeconds(1));
        AssertProblem(await client.NewOrderAsync("fresh@lowered.example.test"), (HttpStatusCode)429, "rateLimited");
        Server.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.That((await client.NewOrderAsync("fresh@lowered.example.test")).Status, Is.EqualTo(HttpStatusCode.Created), "at the Retry-After the slot is free");
    }

    [Test]
    public async Task AMailJustOutOfTheWindow_IsNotCounted_ThoughTheMinuteItWasCountedInIs()
    {
        _mail!.MaxChallengesPerDomainPerHour = 2;
        var client = await ClientAsync();
        var intoMinute = Server.Time.GetUtcNow().ToUnixTimeMilliseconds() % 60_000;
        Server.Time.Advance(TimeSpan.FromMilliseconds(60_000 - intoMinute + 10_000)); // 10 s into a minute
        Assert.That((await client.NewOrderAsync("edge0@edge.example.test")).Status, Is.EqualTo(HttpStatusCode.Created));
        Server.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.That((await client.NewOrderAsync("edge1@edge.example.test")).Status, Is.EqualTo(HttpStatusCode.Created));

        // One hour and 1 ms after the first: it has left the window, only the second counts; the first's minute still holds both.
        Server.Time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(20) + TimeSpan.FromMilliseconds(1));
        Assert.That((await client.NewOrderAsync("edge2@edge.example.test")).Status, Is.EqualTo(HttpStatusCode.Created));
        AssertProblem(await client.NewOrderAsync("edge3@edge.example.test"), (HttpStatusCode)429, "rateLimited");
    }
}
