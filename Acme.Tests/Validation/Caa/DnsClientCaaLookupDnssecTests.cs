using System.Text.RegularExpressions;
using Acme.Tests.Support.Dns;
using Acme.Validation.Caa;
using Acme.Validation.Outcomes;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Validation.Caa;

[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class DnsClientCaaLookupDnssecTests
{
    private const string Zone = """
        $ORIGIN example.test.
        $TTL 300
        @ IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 300
        @ IN NS ns.example.test.
        ns IN A 127.0.0.1
        users IN CAA 0 issuemail "ca.example.test"
        bogus IN CAA 0 issuemail "ca.example.test"
        insecure IN NS ns.insecure.example.test.
        ns.insecure IN A 127.0.0.1

        """;

    private UnboundServer? _resolver;
    private DnsClientCaaLookup _lookup = null!;

    [OneTimeSetUp]
    public void OneTimeSetUp()
    {
        if (!UnboundServer.IsInstalled)
        {
            Support.RequiredTool.Missing("unbound/ldnsutils are not installed (apt-get install -y unbound ldnsutils); the DNSSEC CAA tests need them");
        }

        // Forge bogus.example.test's CAA value after signing: its RRSIG no longer verifies.
        _resolver = UnboundServer.Start("example.test", Zone, signed => Regex.Replace(
            signed, @"^(bogus\.example\.test\.\s.*CAA.*)""ca\.example\.test""", "$1\"other-ca.example\"", RegexOptions.Multiline));
        _lookup = new DnsClientCaaLookup([_resolver.Endpoint], TimeSpan.FromSeconds(1));
    }

    [OneTimeTearDown]
    public void OneTimeTearDown() => _resolver?.Dispose();

    [Test]
    public async Task LookupAsync_SignedRecord_IsAuthenticated()
    {
        var result = await _lookup.LookupAsync("users.example.test", CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(CaaLookupStatus.Records));
        Assert.That(result.Authenticated, Is.True);
        Assert.That(result.Records, Is.EqualTo(new[] { new CaaProperty(0, "issuemail", "ca.example.test") }));
    }

    [Test]
    public async Task LookupAsync_SignedNxDomain_IsAuthenticated()
    {
        var result = await _lookup.LookupAsync("nobody.example.test", CancellationToken.None);
        Assert.That(result.Status, Is.EqualTo(CaaLookupStatus.NxDomain));
        Assert.That(result.Authenticated, Is.True);
    }

    [Test]
    public async Task LookupAsync_ForgedRecord_IsFailure()
    {
        var result = await _lookup.LookupAsync("bogus.example.test", CancellationToken.None);
        Assert.That(result.Status, Is.EqualTo(CaaLookupStatus.Failure));
        Assert.That(result.FailureMessage, Does.Contain("ServerFailure"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task EvaluateAsync_ForgedRecord_NeverPermission(bool allowInsecureFailure)
    {
        var policy = new CaaPolicy(["ca.example.test"]) { AllowInsecureLookupFailure = allowInsecureFailure };
        var evaluator = new CaaIssueMailEvaluator(_lookup, policy, new FakeTimeProvider());

        var outcome = await evaluator.EvaluateAsync("bogus.example.test", null, CancellationToken.None);

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.Dns));
    }

    [Test]
    public async Task EvaluateAsync_SignedIssueMail_PermittedAndAuthenticated()
    {
        var evaluator = new CaaIssueMailEvaluator(_lookup, new CaaPolicy(["ca.example.test"]), new FakeTimeProvider());

        var outcome = await evaluator.EvaluateAsync("users.example.test", null, CancellationToken.None);

        Assert.That(outcome.Value?.Authenticated, Is.True);
    }

    [TestCase("insecure.example.test", true)]
    [TestCase("deep.insecure.example.test", true)]
    [TestCase("users.example.test", false)]
    [TestCase("bogus.example.test", false)]
    [TestCase("nobody.example.test", false)]
    [TestCase("example.test", false)]
    public async Task ProveInsecureAsync_SignedParent_ProvesOnlyUnsignedDelegation(string domain, bool insecure)
    {
        Assert.That(await _lookup.ProveInsecureAsync(domain, CancellationToken.None), Is.EqualTo(insecure));
    }
}
