using System.Text;
using Acme.Tests.Support.Mail;
using Acme.Validation.Dkim;
using Acme.Validation.Identifiers;
using Acme.Validation.Outcomes;
using MimeKit;
using MimeKit.Cryptography;

namespace Acme.Tests.Validation.Dkim;

[TestFixture]
public sealed class ReplyDkimVerifierTests
{
    private static readonly string[] PresentHeaders = ["From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "MIME-Version", "Content-Type"];

    private ReplyScenario _scenario = null!;

    [SetUp]
    public void SetUp() => _scenario = new ReplyScenario();

    private static MimeMessage Reply(string from = ReplyScenario.Address) =>
        TestReplyFactory.Acmez(ReplyScenario.Content with { From = from });

    private Task<ValidationOutcome<DkimPass>> VerifyAsync(MimeMessage received, string from = ReplyScenario.Address, DkimPolicy? policy = null) =>
        _scenario.Verifier(policy).VerifyAsync(received, MailboxNormalizer.Normalize(from).Value!, CancellationToken.None);

    private static void AssertFails(ValidationOutcome<DkimPass> outcome, FailureKind kind, string reason)
    {
        Assert.That(outcome.IsSuccess, Is.False, "expected a failure");
        Assert.That(outcome.Failure!.Kind, Is.EqualTo(kind));
        Assert.That(outcome.Failure.Detail, Does.Contain(reason));
    }

    [TestCase("rsa", "rsa-sha256")]
    [TestCase("ed", "ed25519-sha256")]
    public async Task VerifyAsync_SignedBySameDomain_PassesWithSignatureDetails(string selector, string algorithm)
    {
        var message = Reply();
        var key = selector == "rsa" ? DkimTestKey.Rsa2048 : DkimTestKey.Ed25519;
        TestReplyFactory.Sign(message, key, "example.test", selector, ReplyScenario.Now.AddMinutes(-5));

        var outcome = await VerifyAsync(await TestReplyFactory.AsReceivedAsync(message));

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
        Assert.That(outcome.Value!.Domain, Is.EqualTo("example.test"));
        Assert.That(outcome.Value.Selector, Is.EqualTo(selector));
        Assert.That(outcome.Value.Algorithm, Is.EqualTo(algorithm));
        Assert.That(outcome.Value.SignedHeaders, Does.Contain("from").And.Contain("subject"));
        Assert.That(_scenario.Lookup.Queries, Does.Contain($"{selector}._domainkey.example.test"));
    }

    [Test]
    public async Task VerifyAsync_Unsigned_FailsUnauthorizedAsUnsigned()
    {
        var outcome = await VerifyAsync(await TestReplyFactory.AsReceivedAsync(Reply()));

        AssertFails(outcome, FailureKind.Unauthorized, "no DKIM-Signature header: the reply is unsigned");
    }

    [Test]
    public async Task VerifyAsync_SignedByParentDomain_FailsNamingBothDomains()
    {
        var message = Reply("alice@sub.example.test");
        ReplyScenario.SignRsa(message, "example.test");

        var outcome = await VerifyAsync(await TestReplyFactory.AsReceivedAsync(message), "alice@sub.example.test");

        AssertFails(outcome, FailureKind.Unauthorized, "DKIM signature d=example.test does not match the From domain sub.example.test");
    }

    [Test]
    public async Task VerifyAsync_SignedByOtherDomain_FailsNamingBothDomains()
    {
        var message = Reply();
        ReplyScenario.SignRsa(message, "other.test");

        var outcome = await VerifyAsync(await TestReplyFactory.AsReceivedAsync(message));

        AssertFails(outcome, FailureKind.Unauthorized, "d=other.test does not match the From domain example.test");
    }

    [TestCase("Subject", "subject")]
    [TestCase("To", "to")]
    [TestCase("Content-Type", "content-type")]
    public async Task VerifyAsync_PresentHeaderNotSigned_FailsNamingIt(string omitted, string named)
    {
        var message = Reply();
        ReplyScenario.SignRsa(message, headers: PresentHeaders.Where(h => h != omitted));

        var outcome = await VerifyAsync(await TestReplyFactory.AsReceivedAsync(message));

        AssertFails(outcome, FailureKind.Unauthorized, $"h= does not sign {named}");
    }

    [TestCase(DkimHeaderCoverage.PresentOnly, true)]
    [TestCase(DkimHeaderCoverage.Strict, false)]
    public async Task VerifyAsync_AbsentSenderNotSigned_DependsOnCoverage(DkimHeaderCoverage coverage, bool passes)
    {
        var message = Reply();
        ReplyScenario.SignRsa(message, headers: TestReplyFactory.AllRequiredHeaders.Where(h => h != "Sender"));

        var outcome = await VerifyAsync(await TestReplyFactory.AsReceivedAsync(message), policy: new DkimPolicy { HeaderCoverage = coverage });

        Assert.That(outcome.IsSuccess, Is.EqualTo(passes), () => outcome.Failure?.Detail ?? "passed");
        if (!passes)
        {
            AssertFails(outcome, FailureKind.Unauthorized, "h= does not sign sender");
        }
    }

    [Test]
    public async Task VerifyAsync_StrictWithFullList_Passes()
    {
        var message = Reply();
        ReplyScenario.SignRsa(message, headers: TestReplyFactory.AllRequiredHeaders);

        var outcome = await VerifyAsync(await TestReplyFactory.AsReceivedAsync(message), policy: new DkimPolicy { HeaderCoverage = DkimHeaderCoverage.Strict });

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
    }

    [Test]
    public async Task VerifyAsync_ExtraUnsignedSubjectInstance_Fails()
    {
        var message = Reply();
        ReplyScenario.SignRsa(message);
        message.Headers.Insert(0, new Header(HeaderId.Subject, "Re: ACME: forged"));

        var outcome = await VerifyAsync(await TestReplyFactory.AsReceivedAsync(message));

        AssertFails(outcome, FailureKind.Unauthorized, "2 subject header fields but h= signs only 1");
    }

    [Test]
    public async Task VerifyAsync_RsaSha1_FailsAsRefusedAlgorithm()
    {
        var message = Reply();
        TestReplyFactory.Sign(message, DkimTestKey.Rsa2048, "example.test", "rsa", ReplyScenario.Now.AddMinutes(-5), algorithm: DkimSignatureAlgorithm.RsaSha1);

        var outcome = await VerifyAsync(await TestReplyFactory.AsReceivedAsync(message));

        AssertFails(outcome, FailureKind.Unauthorized, "rsa-sha1");
        Assert.That(outcome.Failure!.Detail, Does.Contain("RFC 8301"));
    }

    [Test]
    public async Task VerifyAsync_ExpiredSignature_FailsNamingExpiry()
    {
        var message = Reply();
        TestReplyFactory.Sign(message, DkimTestKey.Rsa2048, "example.test", "rsa", ReplyScenario.Now.AddHours(-3), expiresAfter: TimeSpan.FromHours(1));

        var outcome = await VerifyAsync(await TestReplyFactory.AsReceivedAsync(message));

        AssertFails(outcome, FailureKind.Unauthorized, "the signature expired at");
    }

    [Test]
    public async Task VerifyAsync_UnexpiredSignatureWithX_Passes()
    {
        var message = Reply();
        TestReplyFactory.Sign(message, DkimTestKey.Rsa2048, "example.test", "rsa", ReplyScenario.Now.AddMinutes(-5), expiresAfter: TimeSpan.FromHours(1));

        var outcome = await VerifyAsync(await TestReplyFactory.AsReceivedAsync(message));

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
    }

    [Test]
    public async Task VerifyAsync_TimestampHoursInFuture_Fails()
    {
        var message = Reply();
        TestReplyFactory.Sign(message, DkimTestKey.Rsa2048, "example.test", "rsa", ReplyScenario.Now.AddHours(2));

        var outcome = await VerifyAsync(await TestReplyFactory.AsReceivedAsync(message));

        AssertFails(outcome, FailureKind.Unauthorized, "in the future");
    }

    [Test]
    public async Task VerifyAsync_LengthLimitedSignatureWithAppendedForgedBlock_FailsNamingL()
    {
        var message = Reply();
        ReplyScenario.SignRsa(message);
        var header = message.Headers[HeaderId.DkimSignature];
        message.Headers[HeaderId.DkimSignature] = header!.Replace("c=relaxed/relaxed;", "c=relaxed/relaxed; l=20;");
        var raw = Encoding.ASCII.GetString(TestReplyFactory.ToBytes(message))
            + TestReplyFactory.Block("forgedforgedforgedforgedforgedforgedforged");

        var outcome = await VerifyAsync(await TestReplyFactory.ParseAsync(Encoding.ASCII.GetBytes(raw)));

        AssertFails(outcome, FailureKind.Unauthorized, "uses l=, which lets unsigned text be appended (RFC 6376 §8.2)");
    }

    [TestCase("this is not a tag list", "malformed")]
    [TestCase("v=1; a=rsa-sha256; a=rsa-sha256; d=example.test", "occurs twice")]
    [TestCase("v=1; a=rsa-sha256; d=example.test; s=rsa; h=from:subject:to:content-type:date:message-id:in-reply-to:mime-version; b=AAAA", "malformed")]
    public async Task VerifyAsync_MalformedSignatureHeader_FailsWithReasonNotException(string value, string reason)
    {
        var message = Reply();
        message.Headers.Add(HeaderId.DkimSignature, value);

        var outcome = await VerifyAsync(await TestReplyFactory.AsReceivedAsync(message));

        AssertFails(outcome, FailureKind.Unauthorized, reason);
    }

    [Test]
    public async Task VerifyAsync_TemporaryDnsFailure_FailsWithDnsKind()
    {
        var message = Reply();
        ReplyScenario.SignRsa(message);
        _scenario.Lookup.FailTemporarily("rsa._domainkey.example.test");

        var outcome = await VerifyAsync(await TestReplyFactory.AsReceivedAsync(message));

        AssertFails(outcome, FailureKind.Dns, "could not be looked up right now");
    }

    [Test]
    public async Task VerifyAsync_KeyNotPublished_FailsUnauthorized()
    {
        var message = Reply();
        TestReplyFactory.Sign(message, DkimTestKey.Rsa2048, "example.test", "missing", ReplyScenario.Now);

        var outcome = await VerifyAsync(await TestReplyFactory.AsReceivedAsync(message));

        AssertFails(outcome, FailureKind.Unauthorized, "no DKIM key is published at missing._domainkey.example.test");
    }

    [Test]
    public async Task VerifyAsync_BodyModifiedAfterSigning_FailsAsNotVerifying()
    {
        var message = Reply();
        ReplyScenario.SignRsa(message);
        var raw = Encoding.ASCII.GetString(TestReplyFactory.ToBytes(message)).Replace(ReplyScenario.Digest, new string('A', 43));

        var outcome = await VerifyAsync(await TestReplyFactory.ParseAsync(Encoding.ASCII.GetBytes(raw)));

        AssertFails(outcome, FailureKind.Unauthorized, "does not verify");
    }

    [Test]
    public async Task VerifyAsync_ShortRsaKey_FailsNamingKeySize()
    {
        _scenario.Lookup.PublishKey("weak", "example.test", DkimTestKey.Rsa768.TxtRecord);
        var message = Reply();
        TestReplyFactory.Sign(message, DkimTestKey.Rsa768, "example.test", "weak", ReplyScenario.Now);

        var outcome = await VerifyAsync(await TestReplyFactory.AsReceivedAsync(message));

        AssertFails(outcome, FailureKind.Unauthorized, "768-bit RSA key");
    }

    [Test]
    public async Task VerifyAsync_OneBadAndOneGoodSignature_Passes()
    {
        var message = Reply();
        ReplyScenario.SignRsa(message, "other.test");
        TestReplyFactory.Sign(message, DkimTestKey.Ed25519, "example.test", "ed", ReplyScenario.Now);

        var outcome = await VerifyAsync(await TestReplyFactory.AsReceivedAsync(message));

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
        Assert.That(outcome.Value!.Selector, Is.EqualTo("ed"));
    }

    [Test]
    public async Task VerifyAsync_TwoFailingSignatures_DetailNamesEach()
    {
        var message = Reply();
        ReplyScenario.SignRsa(message, "other.test");
        TestReplyFactory.Sign(message, DkimTestKey.Ed25519, "example.test", "ed", ReplyScenario.Now);
        _scenario.Lookup.FailTemporarily("ed._domainkey.example.test");

        var outcome = await VerifyAsync(await TestReplyFactory.AsReceivedAsync(message));

        AssertFails(outcome, FailureKind.Unauthorized, "none of the 2 DKIM signatures passes");
        Assert.That(outcome.Failure!.Detail, Does.Contain("d=other.test").And.Contain("could not be looked up right now"));
    }
}
