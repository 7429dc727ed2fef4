using Acme.Tests.Support.Dns;
using Acme.Validation.Caa;
using Acme.Validation.Outcomes;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Validation.Caa;

[TestFixture]
public sealed class CaaIssueMailParameterTests
{
    private const string Ours = "ca.example.test";
    private const string Account = "https://acme.example.test/acme/acct/1";

    private FakeCaaLookup _dns = null!;

    [SetUp]
    public void SetUp() => _dns = new FakeCaaLookup();

    private Task<ValidationOutcome<CaaDecision>> Evaluate(string domain, string? account = Account, CaaPolicy? policy = null) =>
        new CaaIssueMailEvaluator(_dns, policy ?? new CaaPolicy([Ours]), new FakeTimeProvider())
            .EvaluateAsync(domain, account, CancellationToken.None);

    [TestCase(Account, true)]
    [TestCase("https://acme.example.test/acme/acct/2", false)]
    [TestCase("https://acme.example.test/acme/acct/1/", false)]
    [TestCase("HTTPS://acme.example.test/acme/acct/1", false)]
    [TestCase(null, false)]
    public async Task EvaluateAsync_AccountUri_PermitsOnlyExactMatch(string? requester, bool permitted)
    {
        _dns.Publish("example.test", $"0 issuemail {Ours}; accounturi={Account}");

        var outcome = await Evaluate("example.test", requester);

        Assert.That(outcome.IsSuccess, Is.EqualTo(permitted));
        if (!permitted)
        {
            Assert.That(outcome.Failure!.Detail, Does.Contain($"accounturi {Account} is not the requesting account"));
        }
    }

    [Test]
    public async Task EvaluateAsync_AccountUriMismatchButOtherPropertyWithout_Permits()
    {
        _dns.Publish("example.test", $"0 issuemail {Ours}; accounturi=https://x/acct/9", $"0 issuemail {Ours}");
        Assert.That((await Evaluate("example.test")).IsSuccess, Is.True);
    }

    [TestCase("email-reply-00", true)]
    [TestCase("dns-01,email-reply-00", true)]
    [TestCase("email-reply-00,http-01", true)]
    [TestCase("dns-01", false)]
    [TestCase("email-reply-01", false)]
    [TestCase("EMAIL-REPLY-00", false)]
    public async Task EvaluateAsync_ValidationMethods_PermitsOnlyWhenOursListed(string methods, bool permitted)
    {
        _dns.Publish("example.test", $"0 issuemail {Ours}; validationmethods={methods}");

        var outcome = await Evaluate("example.test");

        Assert.That(outcome.IsSuccess, Is.EqualTo(permitted));
        if (!permitted)
        {
            Assert.That(outcome.Failure!.Detail, Does.Contain($"validationmethods {methods} does not include email-reply-00"));
        }
    }

    [Test]
    public async Task EvaluateAsync_ConfiguredValidationMethod_IsTheOneMatched()
    {
        _dns.Publish("example.test", $"0 issuemail {Ours}; validationmethods=acme-email-reply-00");
        var policy = new CaaPolicy([Ours]) { ValidationMethod = "acme-email-reply-00" };
        Assert.That((await Evaluate("example.test", policy: policy)).IsSuccess, Is.True);
    }

    [Test]
    public async Task EvaluateAsync_UnknownParameter_IsIgnored()
    {
        _dns.Publish("example.test", $"0 issuemail {Ours}; policy=ev; account=42");
        Assert.That((await Evaluate("example.test")).IsSuccess, Is.True);
    }
}
