using Acme.Tests.Support.Dns;
using Acme.Validation.Caa;
using Acme.Validation.Identifiers;
using Acme.Validation.Outcomes;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Validation.Caa;

[TestFixture]
public sealed class CaaCheckerTests
{
    private FakeCaaLookup _dns = null!;
    private CaaChecker _checker = null!;

    [SetUp]
    public void SetUp()
    {
        _dns = new FakeCaaLookup()
            .Publish("ok.example.test", "0 issuemail ca.example.test")
            .Publish("denied.example.test", "0 issuemail other-ca.example")
            .Answer("broken.example.test", CaaLookupResult.Failed("CAA query for broken.example.test answered ServFail", true));
        _checker = new CaaChecker(new CaaIssueMailEvaluator(_dns, new CaaPolicy(["ca.example.test"]), new FakeTimeProvider()));
    }

    private static NormalizedMailbox[] Mailboxes(params string[] addresses) =>
        addresses.Select(a => new NormalizedMailbox(a[..a.IndexOf('@')], a[(a.IndexOf('@') + 1)..])).ToArray();

    [Test]
    public async Task CheckAsync_AllPermitted_OneDecisionPerDistinctDomainQueriedOnce()
    {
        var outcome = await _checker.CheckAsync(Mailboxes("a@ok.example.test", "b@ok.example.test", "c@nocaa.example.test"), null, CancellationToken.None);

        Assert.That(outcome.IsSuccess, Is.True);
        Assert.That(outcome.Value!.Keys, Is.EquivalentTo(new[] { "ok.example.test", "nocaa.example.test" }));
        Assert.That(_dns.Queries.Count(q => q == "ok.example.test"), Is.EqualTo(1));
    }

    [Test]
    public async Task CheckAsync_SomeRefused_OneSubFailurePerRefusedMailbox()
    {
        var outcome = await _checker.CheckAsync(
            Mailboxes("a@ok.example.test", "b@denied.example.test", "c@denied.example.test", "d@broken.example.test"), null, CancellationToken.None);

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.Caa));
        var subs = outcome.Failure!.SubFailures;
        Assert.That(subs.Select(s => s.Identifier), Is.EqualTo(new[] { "b@denied.example.test", "c@denied.example.test", "d@broken.example.test" }));
        Assert.That(subs.Select(s => s.Kind), Is.EqualTo(new[] { FailureKind.Caa, FailureKind.Caa, FailureKind.Dns }));
        Assert.That(subs[0].Detail, Is.EqualTo(
            "CAA record for denied.example.test \"0 issuemail \\\"other-ca.example\\\"\" does not authorize ca.example.test: it names other-ca.example"));
        Assert.That(outcome.Failure.Detail, Does.Contain("3 of 4 mailboxes"));
        Assert.That(_dns.Queries.Count(q => q == "denied.example.test"), Is.EqualTo(1));
    }

    [Test]
    public async Task CheckAsync_OnlyDnsFailures_KindIsDns()
    {
        var outcome = await _checker.CheckAsync(Mailboxes("a@ok.example.test", "d@broken.example.test"), null, CancellationToken.None);

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.Dns));
        Assert.That(outcome.Failure!.SubFailures, Has.Count.EqualTo(1));
        Assert.That(outcome.Failure.Detail, Does.Contain("ServFail"));
    }
}
