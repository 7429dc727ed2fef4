using Acme.Tests.Support.Dns;
using Acme.Validation.Caa;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Validation.Caa;

[TestFixture]
public sealed class ReusingCaaLookupTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Reuse = TimeSpan.FromMinutes(5);

    private FakeCaaLookup _dns = null!;
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void SetUp()
    {
        _dns = new FakeCaaLookup();
        _time = new FakeTimeProvider(Start);
    }

    private ReusingCaaLookup Lookup(TimeSpan? reuse = null, int maxNames = 10_000) => new(_dns, _time, reuse ?? Reuse, maxNames);

    [Test]
    public async Task LookupAsync_SameNameWithinReuse_AnsweredFromTheKeptAnswerDatedAtItsRetrieval()
    {
        _dns.Publish("example.test", "0 issuemail ca.example.test");
        var lookup = Lookup();

        var first = await lookup.LookupAsync("example.test", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(4));
        var second = await lookup.LookupAsync("EXAMPLE.test", CancellationToken.None);

        Assert.That(_dns.Queries, Is.EqualTo(new[] { "example.test" }));
        Assert.That(first.RetrievedAt, Is.Null, "an answer just retrieved is not a reused one");
        Assert.That(second.RetrievedAt, Is.EqualTo(Start));
        Assert.That(second.Records.Single().Value, Is.EqualTo("ca.example.test"));
    }

    [Test]
    public async Task LookupAsync_ReusePassed_AsksAgainAndSeesTheChange()
    {
        _dns.Answer("example.test", CaaLookupResult.Empty(authenticated: true), CaaLookupResult.NxDomain(authenticated: true));
        var lookup = Lookup();

        await lookup.LookupAsync("example.test", CancellationToken.None);
        _time.Advance(Reuse);
        var again = await lookup.LookupAsync("example.test", CancellationToken.None);

        Assert.That(_dns.Queries, Has.Count.EqualTo(2));
        Assert.That(again.Status, Is.EqualTo(CaaLookupStatus.NxDomain));
        Assert.That(again.RetrievedAt, Is.Null);
    }

    [Test]
    public async Task LookupAsync_Failure_NeverKept()
    {
        _dns.Answer("broken.test", CaaLookupResult.Failed("SERVFAIL", outsideInfrastructure: true));
        var lookup = Lookup();

        await lookup.LookupAsync("broken.test", CancellationToken.None);
        var retried = await lookup.LookupAsync("broken.test", CancellationToken.None);

        Assert.That(_dns.Queries, Has.Count.EqualTo(2), "SBR 4.2.2.1: a retry must really ask again");
        Assert.That(retried.Status, Is.EqualTo(CaaLookupStatus.Failure));
        Assert.That(lookup.Count, Is.Zero);
    }

    [Test]
    public async Task LookupAsync_FailureAfterAKeptAnswerExpired_DropsIt()
    {
        _dns.Answer("flaky.test", CaaLookupResult.Empty(authenticated: false), CaaLookupResult.Failed("timeout", outsideInfrastructure: false), CaaLookupResult.Empty(authenticated: false));
        var lookup = Lookup();

        await lookup.LookupAsync("flaky.test", CancellationToken.None);
        _time.Advance(Reuse);
        Assert.That((await lookup.LookupAsync("flaky.test", CancellationToken.None)).Status, Is.EqualTo(CaaLookupStatus.Failure));
        _time.Advance(TimeSpan.FromSeconds(1));
        await lookup.LookupAsync("flaky.test", CancellationToken.None);

        Assert.That(_dns.Queries, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task LookupAsync_ZeroReuse_AlwaysAsks()
    {
        var lookup = Lookup(TimeSpan.Zero);

        await lookup.LookupAsync("example.test", CancellationToken.None);
        await lookup.LookupAsync("example.test", CancellationToken.None);

        Assert.That(_dns.Queries, Has.Count.EqualTo(2));
        Assert.That(lookup.Count, Is.Zero);
    }

    [Test]
    public async Task LookupAsync_ClockSetBack_DoesNotTrustTheKeptAnswer()
    {
        var clock = new SettableClock { Now = Start };
        var lookup = new ReusingCaaLookup(_dns, clock, Reuse);
        await lookup.LookupAsync("example.test", CancellationToken.None);

        clock.Now = Start - TimeSpan.FromMinutes(1);
        await lookup.LookupAsync("example.test", CancellationToken.None);

        Assert.That(_dns.Queries, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task LookupAsync_ManyNames_KeepsAtMostTheBound()
    {
        var lookup = Lookup(maxNames: 3);
        for (var i = 0; i < 10; i++)
        {
            await lookup.LookupAsync($"d{i}.test", CancellationToken.None);
            Assert.That(lookup.Count, Is.LessThanOrEqualTo(3));
        }
    }

    [Test]
    public async Task ProveInsecureAsync_AlwaysAsks()
    {
        _dns.ProvablyInsecure("example.test");
        var lookup = Lookup();

        Assert.That(await lookup.ProveInsecureAsync("example.test", CancellationToken.None), Is.True);
        Assert.That(await lookup.ProveInsecureAsync("example.test", CancellationToken.None), Is.True);
        Assert.That(_dns.InsecureProofQueries, Has.Count.EqualTo(2));
    }

    [Test]
    public void Constructor_ReuseOverEightHours_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Lookup(TimeSpan.FromHours(8) + TimeSpan.FromSeconds(1)));

    [Test]
    public async Task Evaluator_ReusedAnswers_DecisionDatedFromTheOldestAndSaysSo()
    {
        var evaluator = new CaaIssueMailEvaluator(Lookup(), new CaaPolicy(["ca.example.test"]), _time);
        await evaluator.EvaluateAsync("users.example.test", null, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(3));

        var decision = (await evaluator.EvaluateAsync("users.example.test", null, CancellationToken.None)).Value!;

        Assert.That(_dns.Queries, Is.EqualTo(new[] { "users.example.test", "example.test", "test" }));
        Assert.That(decision.CheckedAt, Is.EqualTo(Start));
        Assert.That(decision.Reason, Does.Contain("the answer for users.example.test was retrieved at 2026-12-07T10:00:00Z and reused"));
    }

    /// <summary>A clock that may be set back, which <see cref="FakeTimeProvider"/> refuses.</summary>
    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
