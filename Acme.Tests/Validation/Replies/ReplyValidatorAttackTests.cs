using System.Text;
using Acme.Tests.Support.Mail;
using Acme.Validation.Identifiers;
using Acme.Validation.Outcomes;
using Acme.Validation.Replies;
using MimeKit;

namespace Acme.Tests.Validation.Replies;

[TestFixture]
public sealed class ReplyValidatorAttackTests
{
    private ReplyScenario _scenario = null!;

    [SetUp]
    public void SetUp() => _scenario = new ReplyScenario();

    private async Task<ValidationOutcome<ReplyEvidence>> ValidateAsync(MimeMessage received, ReplyExpectation? expectation = null) =>
        await _scenario.Validator().ValidateAsync(received, expectation ?? ReplyScenario.Expectation, CancellationToken.None);

    private static async Task<MimeMessage> SignedAsync(ReplyContent content, string domain = "example.test")
    {
        var message = TestReplyFactory.Acme4j(content);
        ReplyScenario.SignRsa(message, domain);
        return await TestReplyFactory.AsReceivedAsync(message);
    }

    private static void AssertFails(ValidationOutcome<ReplyEvidence> outcome, FailureKind kind, string reason)
    {
        Assert.That(outcome.IsSuccess, Is.False, "expected a failure");
        Assert.That(outcome.Failure!.Kind, Is.EqualTo(kind));
        Assert.That(outcome.Failure.Detail, Does.Contain(reason));
    }

    [Test]
    public async Task ValidateAsync_Unsigned_FailsUnauthorized()
    {
        var outcome = await ValidateAsync(await TestReplyFactory.AsReceivedAsync(TestReplyFactory.Acme4j(ReplyScenario.Content)));

        AssertFails(outcome, FailureKind.Unauthorized, "the reply is unsigned");
    }

    [Test]
    public async Task ValidateAsync_TwoFromHeaders_FailsUnauthorized()
    {
        var message = TestReplyFactory.Acme4j(ReplyScenario.Content);
        message.Headers.Insert(0, new Header(HeaderId.From, "mallory@example.test"));
        ReplyScenario.SignRsa(message);

        var outcome = await ValidateAsync(await TestReplyFactory.AsReceivedAsync(message));

        AssertFails(outcome, FailureKind.Unauthorized, "2 From header fields");
    }

    [Test]
    public async Task ValidateAsync_FromWithTwoMailboxes_FailsUnauthorized()
    {
        var message = TestReplyFactory.Acme4j(ReplyScenario.Content);
        message.From.Add(new MailboxAddress("Mallory", "mallory@example.test"));
        ReplyScenario.SignRsa(message);

        var outcome = await ValidateAsync(await TestReplyFactory.AsReceivedAsync(message));

        AssertFails(outcome, FailureKind.Unauthorized, "holds 2 addresses");
    }

    [Test]
    public async Task ValidateAsync_FromGroup_FailsUnauthorized()
    {
        var message = TestReplyFactory.Acme4j(ReplyScenario.Content);
        message.From.Clear();
        message.From.Add(new GroupAddress("team", [new MailboxAddress("", ReplyScenario.Address)]));
        ReplyScenario.SignRsa(message);

        var outcome = await ValidateAsync(await TestReplyFactory.AsReceivedAsync(message));

        AssertFails(outcome, FailureKind.Unauthorized, "group");
    }

    [Test]
    public async Task ValidateAsync_FromAnotherMailbox_FailsNamingBoth()
    {
        var outcome = await ValidateAsync(await SignedAsync(ReplyScenario.Content with { From = "bob@example.test" }));

        AssertFails(outcome, FailureKind.Unauthorized, "the reply is from bob@example.test, not the identifier alice@example.test");
    }

    [Test]
    public async Task ValidateAsync_FromDomainInOtherCase_Succeeds()
    {
        var outcome = await ValidateAsync(await SignedAsync(ReplyScenario.Content with { From = "alice@EXAMPLE.test" }));

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
    }

    [Test]
    public async Task ValidateAsync_LocalPartInOtherCase_Fails()
    {
        var outcome = await ValidateAsync(await SignedAsync(ReplyScenario.Content with { From = "Alice@example.test" }));

        AssertFails(outcome, FailureKind.Unauthorized, "not the identifier");
    }

    [Test]
    public async Task ValidateAsync_SignedByParentDomain_FailsUnauthorized()
    {
        var identifier = MailboxNormalizer.Normalize("alice@sub.example.test").Value!;
        var received = await SignedAsync(ReplyScenario.Content with { From = identifier.Address }, "example.test");

        var outcome = await ValidateAsync(received, ReplyScenario.Expectation with { Identifier = identifier });

        AssertFails(outcome, FailureKind.Unauthorized, "d=example.test does not match the From domain sub.example.test");
    }

    [Test]
    public async Task ValidateAsync_ListIdHeader_FailsUnauthorized()
    {
        var message = TestReplyFactory.Acme4j(ReplyScenario.Content);
        message.Headers.Add("List-Id", "<acme.lists.example.test>");
        ReplyScenario.SignRsa(message);

        var outcome = await ValidateAsync(await TestReplyFactory.AsReceivedAsync(message));

        AssertFails(outcome, FailureKind.Unauthorized, "List-Id");
    }

    [Test]
    public async Task ValidateAsync_WrongSubjectToken_FailsIncorrectResponse()
    {
        var outcome = await ValidateAsync(await SignedAsync(ReplyScenario.Content with { TokenPart1 = "BBECAwQFBgcICQoLDA0ODxAREhMUFRYX" }));

        AssertFails(outcome, FailureKind.IncorrectResponse, "not the token-part1 of this challenge");
    }

    [Test]
    public async Task ValidateAsync_SubjectWithoutAcme_FailsIncorrectResponse()
    {
        var message = TestReplyFactory.Acme4j(ReplyScenario.Content);
        message.Subject = "Re: your certificate";
        ReplyScenario.SignRsa(message);

        var outcome = await ValidateAsync(await TestReplyFactory.AsReceivedAsync(message));

        AssertFails(outcome, FailureKind.IncorrectResponse, "does not contain 'ACME:'");
    }

    [Test]
    public async Task ValidateAsync_WrongDigest_FailsIncorrectResponse()
    {
        var outcome = await ValidateAsync(await SignedAsync(ReplyScenario.Content with { Digest = new string('A', 43) }));

        AssertFails(outcome, FailureKind.IncorrectResponse, "the digest in the reply does not match the key authorization");
    }

    [Test]
    public async Task ValidateAsync_NoResponseBlock_FailsIncorrectResponse()
    {
        var message = TestReplyFactory.Acme4j(ReplyScenario.Content);
        ((TextPart)message.Body!).Text = "I forgot the block.\r\n";
        ReplyScenario.SignRsa(message);

        var outcome = await ValidateAsync(await TestReplyFactory.AsReceivedAsync(message));

        AssertFails(outcome, FailureKind.IncorrectResponse, "no -----BEGIN ACME RESPONSE-----");
    }

    [TestCase("BBECAwQFBgcICQoLDA0ODxAREhMUFRYX", ReplyScenario.TokenPart2, "Subject")]
    [TestCase(ReplyScenario.TokenPart1, "ooKGio6SlpqeoqaqrrK2ur", "digest")]
    public async Task ValidateAsync_ReplyReplayedAgainstAnotherChallenge_Fails(string otherPart1, string otherPart2, string reason)
    {
        var received = await SignedAsync(ReplyScenario.Content);
        Assert.That((await ValidateAsync(received)).IsSuccess, Is.True, "the reply is valid for its own challenge");

        var outcome = await ValidateAsync(received, ReplyScenario.Expectation with { TokenPart1 = otherPart1, TokenPart2 = otherPart2 });

        AssertFails(outcome, FailureKind.IncorrectResponse, reason);
    }

    [TestCase(24.0, true)]
    [TestCase(25.0, false)]
    public async Task ValidateAsync_ReplyDelay_IsLimitedTo24Hours(double hours, bool passes)
    {
        var expectation = ReplyScenario.Expectation with { TokenPart1CreatedAt = ReplyScenario.Now.AddHours(-hours) };

        var outcome = await ValidateAsync(await SignedAsync(ReplyScenario.Content), expectation);

        Assert.That(outcome.IsSuccess, Is.EqualTo(passes), () => outcome.Failure?.Detail ?? "passed");
        if (!passes)
        {
            AssertFails(outcome, FailureKind.Unauthorized, "25 hours after token-part1 was created at 2025-05-31 11:00:00Z");
        }
    }

    [Test]
    public async Task ValidateAsync_TemporaryDnsFailure_FailsWithDnsKind()
    {
        _scenario.Lookup.FailTemporarily("rsa._domainkey.example.test");

        var outcome = await ValidateAsync(await SignedAsync(ReplyScenario.Content));

        AssertFails(outcome, FailureKind.Dns, "rsa._domainkey.example.test");
    }

    [Test]
    public async Task ValidateAsync_BodyModifiedAfterSigning_FailsUnauthorized()
    {
        var message = TestReplyFactory.Acme4j(ReplyScenario.Content);
        ReplyScenario.SignRsa(message);
        var raw = Encoding.ASCII.GetString(TestReplyFactory.ToBytes(message)).Replace("Thank you.", "Thank you!");

        var outcome = await ValidateAsync(await TestReplyFactory.ParseAsync(Encoding.ASCII.GetBytes(raw)));

        AssertFails(outcome, FailureKind.Unauthorized, "does not verify");
    }
}
