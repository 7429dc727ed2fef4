using Acme.Tests.Support.Dns;
using Acme.Validation.Caa;
using Acme.Validation.Outcomes;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Validation.Caa;

[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class DnsClientCaaLookupTests
{
    private const string Account = "https://127.0.0.1:14001/acme/acct/1";
    private DnsmasqServer? _dns;
    private DnsClientCaaLookup _lookup = null!;

    [SetUp]
    public void SetUp()
    {
        if (!DnsmasqServer.IsInstalled)
        {
            Support.RequiredTool.Missing("dnsmasq is not installed (apt-get install -y dnsmasq-base); the real-DNS CAA tests need it");
        }

        _dns = DnsmasqServer.Start(
            ["test"],
            [
                ("users.example.test", new CaaProperty(0, "issue", ";")),
                ("users.example.test", new CaaProperty(0, "issuemail", "ca.example.test")),
                ("denied.example.test", new CaaProperty(0, "issuemail", "other-ca.example")),
                ("critical.example.test", new CaaProperty(128, "futuretag", "x")),
                ("critical.example.test", new CaaProperty(0, "issuemail", "ca.example.test")),
                ("strict.example.test", new CaaProperty(0, "issuemail", $"ca.example.test; accounturi={Account}")),
                ("parent.test", new CaaProperty(0, "issuemail", "ca.example.test; validationmethods=email-reply-00")),
            ],
            "--txt-record=nodata.example.test,x",
            "--local-ttl=300");
        _lookup = new DnsClientCaaLookup([_dns.Endpoint]);
    }

    [TearDown]
    public void TearDown() => _dns?.Dispose();

    [Test]
    public async Task LookupAsync_CaaRecords_ReturnsFlagsTagsValuesAndTtl()
    {
        var result = await _lookup.LookupAsync("users.example.test", CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(CaaLookupStatus.Records));
        Assert.That(result.Records, Is.EquivalentTo(new[]
        {
            new CaaProperty(0, "issue", ";"),
            new CaaProperty(0, "issuemail", "ca.example.test"),
        }));
        Assert.That(result.Authenticated, Is.False, "dnsmasq does not validate, so no AD bit");
        Assert.That(result.CanonicalName, Is.Null);
        Assert.That(result.Ttl, Is.EqualTo(TimeSpan.FromSeconds(300)));
    }

    [Test]
    public async Task LookupAsync_CriticalFlag_IsPreserved()
    {
        var result = await _lookup.LookupAsync("critical.example.test", CancellationToken.None);
        Assert.That(result.Records.Single(r => r.Tag == "futuretag").IsCritical, Is.True);
    }

    [Test]
    public async Task LookupAsync_UnknownName_IsNxDomain()
    {
        var result = await _lookup.LookupAsync("nobody.example.test", CancellationToken.None);
        Assert.That(result.Status, Is.EqualTo(CaaLookupStatus.NxDomain));
    }

    [Test]
    public async Task LookupAsync_NameWithOtherTypesOnly_IsEmptyRecords()
    {
        var result = await _lookup.LookupAsync("nodata.example.test", CancellationToken.None);
        Assert.That(result.Status, Is.EqualTo(CaaLookupStatus.Records));
        Assert.That(result.Records, Is.Empty);
    }

    [Test]
    public async Task LookupAsync_ZoneTheServerRefuses_IsFailureOutsideInfrastructure()
    {
        var result = await _lookup.LookupAsync("elsewhere.example", CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(CaaLookupStatus.Failure));
        Assert.That(result.FailureOutsideInfrastructure, Is.True);
        Assert.That(result.FailureMessage, Does.Contain("elsewhere.example"));
    }

    [Test]
    public async Task ProveInsecureAsync_NonValidatingServer_IsFalse()
    {
        Assert.That(await _lookup.ProveInsecureAsync("users.example.test", CancellationToken.None), Is.False);
    }

    [TestCase("users.example.test", null, null)]
    [TestCase("sub.users.example.test", null, null)]
    [TestCase("strict.example.test", Account, null)]
    [TestCase("child.parent.test", null, null)]
    [TestCase("nobody.example.test", null, null)]
    [TestCase("denied.example.test", null, FailureKind.Caa)]
    [TestCase("critical.example.test", null, FailureKind.Caa)]
    [TestCase("strict.example.test", "https://127.0.0.1:14001/acme/acct/2", FailureKind.Caa)]
    [TestCase("elsewhere.example", null, FailureKind.Dns)]
    public async Task EvaluateAsync_RealDns_Decides(string domain, string? account, FailureKind? expected)
    {
        var evaluator = new CaaIssueMailEvaluator(_lookup, new CaaPolicy(["ca.example.test"]), new FakeTimeProvider());

        var outcome = await evaluator.EvaluateAsync(domain, account, CancellationToken.None);

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(expected), () => outcome.Failure?.Detail ?? outcome.Value!.Reason);
    }

    [Test]
    public async Task EvaluateAsync_RealDnsRefusal_QuotesRecord()
    {
        var evaluator = new CaaIssueMailEvaluator(_lookup, new CaaPolicy(["ca.example.test"]), new FakeTimeProvider());

        var outcome = await evaluator.EvaluateAsync("denied.example.test", null, CancellationToken.None);

        Assert.That(outcome.Failure!.Detail, Is.EqualTo(
            "CAA record for denied.example.test \"0 issuemail \\\"other-ca.example\\\"\" does not authorize ca.example.test: it names other-ca.example"));
    }

    [Test]
    public async Task LookupAsync_NothingListening_IsFailureInsideInfrastructure()
    {
        var silent = new DnsClientCaaLookup([$"127.0.0.1:{DnsmasqServer.FreePort()}"], TimeSpan.FromMilliseconds(300));

        var result = await silent.LookupAsync("users.example.test", CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(CaaLookupStatus.Failure));
        Assert.That(result.FailureOutsideInfrastructure, Is.False);
    }

    [Test]
    public void Constructor_BadServerEntry_Throws()
    {
        Assert.That(() => new DnsClientCaaLookup(["dns.example.test:53"]), Throws.ArgumentException);
    }
}
