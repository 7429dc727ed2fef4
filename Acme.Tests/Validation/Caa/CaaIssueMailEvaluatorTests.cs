using Acme.Tests.Support.Dns;
using Acme.Validation.Caa;
using Acme.Validation.Outcomes;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Validation.Caa;

[TestFixture]
public sealed class CaaIssueMailEvaluatorTests
{
    private const string Ours = "ca.example.test";
    private const string Account = "https://acme.example.test/acme/acct/1";
    private static readonly DateTimeOffset Now = new(2026, 3, 20, 10, 0, 0, TimeSpan.Zero);

    private FakeCaaLookup _dns = null!;

    [SetUp]
    public void SetUp() => _dns = new FakeCaaLookup();

    private Task<ValidationOutcome<CaaDecision>> Evaluate(string domain, string? account = Account, CaaPolicy? policy = null) =>
        new CaaIssueMailEvaluator(_dns, policy ?? new CaaPolicy([Ours]), new FakeTimeProvider(Now))
            .EvaluateAsync(domain, account, CancellationToken.None);

    [Test]
    public async Task EvaluateAsync_NoRecordsAnywhere_ClimbsToTldAndPermits()
    {
        var outcome = await Evaluate("sub.sub.example.test");

        Assert.That(_dns.Queries, Is.EqualTo(new[] { "sub.sub.example.test", "sub.example.test", "example.test", "test" }));
        Assert.That(outcome.IsSuccess, Is.True);
        Assert.That(outcome.Value!.Domain, Is.Null);
        Assert.That(outcome.Value.RelevantRecords, Is.Empty);
        Assert.That(outcome.Value.Permitted, Is.True);
        Assert.That(outcome.Value.CheckedAt, Is.EqualTo(Now));
        Assert.That(outcome.Value.Reason, Does.Contain("no CAA records"));
    }

    [Test]
    public async Task EvaluateAsync_TrailingDot_IsIgnored()
    {
        await Evaluate("example.test.");
        Assert.That(_dns.Queries, Is.EqualTo(new[] { "example.test", "test" }));
    }

    [Test]
    public async Task EvaluateAsync_EmptyRRsetThenRecordsAtParent_ParentIsRelevant()
    {
        _dns.Answer("sub.sub.example.test", CaaLookupResult.Empty(authenticated: true))
            .Publish("example.test", $"0 issuemail {Ours}");

        var outcome = await Evaluate("sub.sub.example.test");

        Assert.That(_dns.Queries, Is.EqualTo(new[] { "sub.sub.example.test", "sub.example.test", "example.test" }));
        Assert.That(outcome.Value!.Domain, Is.EqualTo("example.test"));
        Assert.That(outcome.Value.RelevantRecords, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task EvaluateAsync_RecordsOnlyAtTld_TldIsQueriedAndRelevant()
    {
        _dns.Publish("test", "0 issuemail other-ca.example");

        var outcome = await Evaluate("sub.example.test");

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.Caa));
        Assert.That(outcome.Failure!.Detail, Does.Contain("CAA record for test (relevant to sub.example.test)"));
    }

    [Test]
    public async Task EvaluateAsync_RecordsAtDomain_ParentsNotQueried()
    {
        _dns.Publish("users.example.test", $"0 issuemail {Ours}").Publish("example.test", "0 issuemail other.example");

        var outcome = await Evaluate("users.example.test");

        Assert.That(_dns.Queries, Is.EqualTo(new[] { "users.example.test" }));
        Assert.That(outcome.IsSuccess, Is.True);
    }

    [Test]
    public async Task EvaluateAsync_Cname_UsesTargetRecordsAndClimbsFromOriginalName()
    {
        _dns.Answer("alias.example.test", CaaLookupResult.Empty(false))
            .Answer("mail.alias.example.test", CaaLookupResult.Found(
                [new CaaProperty(0, "issuemail", "other-ca.example")], false, canonicalName: "target.elsewhere.test"));

        var outcome = await Evaluate("mail.alias.example.test");

        Assert.That(_dns.Queries, Is.EqualTo(new[] { "mail.alias.example.test" }));
        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.Caa));
        Assert.That(outcome.Failure!.Identifier, Is.EqualTo("mail.alias.example.test"));
    }

    [Test]
    public async Task EvaluateAsync_CnameWithEmptyTarget_ClimbsOriginalParentsNotTargets()
    {
        _dns.Answer("a.one.test", CaaLookupResult.Found([], false, canonicalName: "b.two.test"))
            .Publish("two.test", "0 issuemail other.example")
            .Publish("one.test", $"0 issuemail {Ours}");

        var outcome = await Evaluate("a.one.test");

        Assert.That(_dns.Queries, Is.EqualTo(new[] { "a.one.test", "one.test" }));
        Assert.That(outcome.IsSuccess, Is.True);
    }

    [Test]
    public async Task EvaluateAsync_CnamePermitted_ReasonNamesAlias()
    {
        _dns.Answer("x.example.test", CaaLookupResult.Found([new CaaProperty(0, "issuemail", Ours)], false, "y.example.test"));
        var outcome = await Evaluate("x.example.test");
        Assert.That(outcome.Value!.Reason, Does.Contain("alias of y.example.test"));
    }

    [TestCase("0 issue ca.example.test")]
    [TestCase("0 issue ;")]
    [TestCase("0 issuewild ;")]
    [TestCase("0 iodef mailto:caa@example.test")]
    [TestCase("128 issue other-authority.example")]
    [TestCase("128 IssueWild ;")]
    [TestCase("0 futuretag whatever")]
    public async Task EvaluateAsync_RRsetWithoutIssueMail_Permits(string record)
    {
        _dns.Publish("example.test", record);

        var outcome = await Evaluate("example.test");

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
        Assert.That(outcome.Value!.Domain, Is.EqualTo("example.test"));
        Assert.That(outcome.Value.Reason, Does.Contain("no issuemail property"));
    }

    [TestCase("0 issuemail ca.example.test")]
    [TestCase("0 ISSUEMAIL ca.example.test")]
    [TestCase("0 IssueMail CA.EXAMPLE.TEST")]
    [TestCase("0 issuemail   ca.example.test ; ")]
    [TestCase("0 issuemail ca.example.test; account=123456")]
    [TestCase("128 issuemail ca.example.test")]
    public async Task EvaluateAsync_IssueMailNamingUs_Permits(string record)
    {
        _dns.Publish("example.test", record);
        var outcome = await Evaluate("example.test");
        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
    }

    [TestCase("0 issuemail other-ca.example", "it names other-ca.example")]
    [TestCase("0 issuemail ;", "it names no issuer")]
    [TestCase("0 issuemail ", "it names no issuer")]
    [TestCase("0 issuemail ca.example.test; =", "malformed")]
    [TestCase("0 issuemail ca..example", "malformed")]
    [TestCase("0 issuemail ca.example.test;accounturi", "malformed")]
    [TestCase("0 issuemail ca.example.test.", "malformed")]
    [TestCase("0 issuemail example.test", "it names example.test")]
    [TestCase("0 issuemail sub.ca.example.test", "it names sub.ca.example.test")]
    public async Task EvaluateAsync_IssueMailNotNamingUs_ForbidsWithReason(string record, string reason)
    {
        _dns.Publish("users.example.test", record, "0 issue ca.example.test");

        var outcome = await Evaluate("users.example.test");

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.Caa));
        Assert.That(outcome.Failure!.Identifier, Is.EqualTo("users.example.test"));
        Assert.That(outcome.Failure.Detail, Does.StartWith($"CAA record for users.example.test {FakeCaaLookup.Parse(record).Quoted()} does not authorize ca.example.test"));
        Assert.That(outcome.Failure.Detail, Does.Contain(reason));
    }

    [Test]
    public async Task EvaluateAsync_OtherIssuer_DetailQuotesRecordExactly()
    {
        _dns.Publish("users.example.test", "0 issuemail other-ca.example");

        var outcome = await Evaluate("users.example.test");

        Assert.That(outcome.Failure!.Detail, Is.EqualTo(
            "CAA record for users.example.test \"0 issuemail \\\"other-ca.example\\\"\" does not authorize ca.example.test: it names other-ca.example"));
    }

    [Test]
    public async Task EvaluateAsync_OneOfSeveralIssueMailNamesUs_Permits()
    {
        _dns.Publish("example.test", "0 issuemail other-ca.example", "0 issuemail ;", $"0 issuemail {Ours}");
        var outcome = await Evaluate("example.test");
        Assert.That(outcome.IsSuccess, Is.True);
        Assert.That(outcome.Value!.RelevantRecords, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task EvaluateAsync_SeveralIssueMailNoneNamesUs_QuotesAllWithReasons()
    {
        _dns.Publish("example.test", "0 issuemail other-ca.example", "0 issuemail ;");

        var outcome = await Evaluate("example.test");

        Assert.That(outcome.Failure!.Detail, Does.StartWith("CAA records for example.test \"0 issuemail \\\"other-ca.example\\\"\", \"0 issuemail \\\";\\\"\" do not authorize"));
        Assert.That(outcome.Failure.Detail, Does.EndWith("it names other-ca.example; it names no issuer"));
    }

    [Test]
    public async Task EvaluateAsync_SecondIssuerDomainOfOurs_Permits()
    {
        _dns.Publish("example.test", "0 issuemail smime.ca.example");
        var outcome = await Evaluate("example.test", policy: new CaaPolicy([Ours, "smime.ca.example"]));
        Assert.That(outcome.IsSuccess, Is.True);
    }

    [Test]
    public async Task EvaluateAsync_TwoIssuerDomainsRefused_DetailNamesBoth()
    {
        _dns.Publish("example.test", "0 issuemail other.example");
        var outcome = await Evaluate("example.test", policy: new CaaPolicy([Ours, "smime.ca.example"]));
        Assert.That(outcome.Failure!.Detail, Does.Contain("does not authorize ca.example.test or smime.ca.example"));
    }

    [TestCase("128 futuretag x")]
    [TestCase("129 tbs unknown")]
    [TestCase("255 FutureTag x")]
    public async Task EvaluateAsync_UnknownCriticalTag_ForbidsEvenWithOurIssueMail(string record)
    {
        _dns.Publish("example.test", $"0 issuemail {Ours}", record);

        var outcome = await Evaluate("example.test");

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.Caa));
        Assert.That(outcome.Failure!.Detail, Does.Contain(FakeCaaLookup.Parse(record).Quoted()));
        Assert.That(outcome.Failure.Detail, Does.Contain("critical flag"));
    }

    [TestCase("128 issue other.example")]
    [TestCase("128 issuewild other.example")]
    [TestCase("128 iodef mailto:x@example.test")]
    [TestCase("128 contactemail x@example.test")]
    [TestCase("128 contactphone +1 555 0100")]
    [TestCase("1 futuretag x")]
    [TestCase("0 futuretag x")]
    public async Task EvaluateAsync_CriticalKnownOrNonCriticalUnknown_DoesNotForbid(string record)
    {
        _dns.Publish("example.test", $"0 issuemail {Ours}", record);
        var outcome = await Evaluate("example.test");
        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
    }

    [Test]
    public async Task EvaluateAsync_UnknownCriticalTagAboveRelevantRRset_IsNotConsidered()
    {
        _dns.Publish("users.example.test", $"0 issuemail {Ours}").Publish("example.test", "128 futuretag x");
        Assert.That((await Evaluate("users.example.test")).IsSuccess, Is.True);
    }

    [TestCase(true, true)]
    [TestCase(false, false)]
    public async Task EvaluateAsync_RelevantAnswer_ReportsAdBitAndTtl(bool authenticated, bool expected)
    {
        _dns.Answer("example.test", CaaLookupResult.Found(
            [new CaaProperty(0, "issuemail", Ours)], authenticated, ttl: TimeSpan.FromSeconds(300)));

        var decision = (await Evaluate("example.test")).Value!;

        Assert.That(decision.Authenticated, Is.EqualTo(expected));
        Assert.That(decision.Ttl, Is.EqualTo(TimeSpan.FromSeconds(300)));
        Assert.That(decision.CheckedAt, Is.EqualTo(Now));
    }

    [TestCase(true, true)]
    [TestCase(false, false)]
    public async Task EvaluateAsync_NoRelevantRRset_AuthenticatedOnlyIfWholeClimbWas(bool tldAuthenticated, bool expected)
    {
        _dns.Answer("example.test", CaaLookupResult.NxDomain(true)).Answer("test", CaaLookupResult.Empty(tldAuthenticated));
        Assert.That((await Evaluate("example.test")).Value!.Authenticated, Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase(" ")]
    [TestCase("a..test")]
    [TestCase(".")]
    public void EvaluateAsync_NotADomain_Throws(string domain)
    {
        Assert.That(() => Evaluate(domain), Throws.InstanceOf<ArgumentException>());
    }

    [Test]
    public void Constructor_NoIssuerDomain_Throws()
    {
        Assert.That(() => new CaaIssueMailEvaluator(_dns, new CaaPolicy([]), TimeProvider.System), Throws.ArgumentException);
    }
}
