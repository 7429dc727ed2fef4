using Acme.Tests.Support.Dns;
using Acme.Validation.Caa;
using Acme.Validation.Outcomes;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Validation.Caa;

[TestFixture]
public sealed class CaaLookupFailureTests
{
    private const string Ours = "ca.example.test";
    private FakeCaaLookup _dns = null!;

    [SetUp]
    public void SetUp() => _dns = new FakeCaaLookup();

    private Task<ValidationOutcome<CaaDecision>> Evaluate(string domain, bool allowInsecure) =>
        new CaaIssueMailEvaluator(_dns, new CaaPolicy([Ours]) { AllowInsecureLookupFailure = allowInsecure }, new FakeTimeProvider())
            .EvaluateAsync(domain, null, CancellationToken.None);

    private static CaaLookupResult ServFail => CaaLookupResult.Failed("CAA query answered ServFail", outsideInfrastructure: true);

    private static CaaLookupResult Timeout => CaaLookupResult.Failed("CAA query timed out", outsideInfrastructure: false);

    [TestCase("users.example.test")]
    [TestCase("example.test")]
    [TestCase("test")]
    public async Task EvaluateAsync_FailureAtAnyLevel_ForbidsWithDns(string failing)
    {
        _dns.Answer(failing, ServFail).ProvablyInsecure(failing);

        var outcome = await Evaluate("users.example.test", allowInsecure: false);

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.Dns));
        Assert.That(outcome.Failure!.Identifier, Is.EqualTo("users.example.test"));
        Assert.That(outcome.Failure.Detail, Does.Contain("ServFail"));
        Assert.That(_dns.Queries.Last(), Is.EqualTo(failing));
        Assert.That(_dns.InsecureProofQueries, Is.Empty);
    }

    [Test]
    public async Task EvaluateAsync_FailureWithOptInAndProof_CountsAsEmptyAndClimbs()
    {
        _dns.Answer("users.example.test", ServFail).ProvablyInsecure("users.example.test");

        var outcome = await Evaluate("users.example.test", allowInsecure: true);

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
        Assert.That(_dns.Queries, Is.EqualTo(new[] { "users.example.test", "users.example.test", "example.test", "test" }));
        Assert.That(_dns.InsecureProofQueries, Is.EqualTo(new[] { "users.example.test" }));
        Assert.That(outcome.Value!.Reason, Does.Contain("provably DNSSEC-insecure"));
        Assert.That(outcome.Value.Authenticated, Is.False);
    }

    [Test]
    public async Task EvaluateAsync_FailureExcusedButParentForbids_StillForbids()
    {
        _dns.Answer("users.example.test", ServFail).ProvablyInsecure("users.example.test")
            .Publish("example.test", "0 issuemail other.example");

        var outcome = await Evaluate("users.example.test", allowInsecure: true);

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.Caa));
    }

    [Test]
    public async Task EvaluateAsync_FailureWithOptInWithoutProof_ForbidsWithDns()
    {
        _dns.Answer("users.example.test", ServFail);

        var outcome = await Evaluate("users.example.test", allowInsecure: true);

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.Dns));
        Assert.That(outcome.Failure!.Detail, Does.Contain("not provably DNSSEC-insecure"));
        Assert.That(_dns.InsecureProofQueries, Is.EqualTo(new[] { "users.example.test" }));
    }

    [Test]
    public async Task EvaluateAsync_FailureInsideOurInfrastructure_ForbidsEvenWhenInsecure()
    {
        _dns.Answer("users.example.test", Timeout).ProvablyInsecure("users.example.test");

        var outcome = await Evaluate("users.example.test", allowInsecure: true);

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.Dns));
        Assert.That(outcome.Failure!.Detail, Does.Contain("our resolver did not answer"));
        Assert.That(_dns.InsecureProofQueries, Is.Empty);
    }

    [Test]
    public async Task EvaluateAsync_RetrySucceeds_UsesRetriedAnswer()
    {
        _dns.Answer("users.example.test", ServFail, CaaLookupResult.Found([new CaaProperty(0, "issuemail", "other.example")], true));

        var outcome = await Evaluate("users.example.test", allowInsecure: true);

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.Caa));
        Assert.That(_dns.Queries, Is.EqualTo(new[] { "users.example.test", "users.example.test" }));
        Assert.That(_dns.InsecureProofQueries, Is.Empty);
    }

    [Test]
    public async Task EvaluateAsync_FailureWithoutOptIn_NoRetryNoProof()
    {
        _dns.Answer("users.example.test", ServFail, CaaLookupResult.Empty(true));

        var outcome = await Evaluate("users.example.test", allowInsecure: false);

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.Dns));
        Assert.That(_dns.Queries, Is.EqualTo(new[] { "users.example.test" }));
    }
}
