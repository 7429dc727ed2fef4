using Acme.Tests.Support.Mail;
using Acme.Validation.KeyAuthorization;
using Acme.Validation.Replies;
using MimeKit;

namespace Acme.Tests.Validation.Replies;

[TestFixture]
public sealed class ReplyValidatorStyleTests
{
    public static readonly string[] Styles =
        ["acme4j", "acme4j-padded", "acmez", "acme_email", "mua-qp", "mua-base64", "mua-alternative", "mua-mixed-disclaimer", "mua-encoded-subject", "mua-encoded-subject-lang"];

    public static MimeMessage Build(string style, ReplyContent content) => style switch
    {
        "acme4j" => TestReplyFactory.Acme4j(content),
        "acme4j-padded" => TestReplyFactory.Acme4j(content, paddedTwoLines: true),
        "acmez" => TestReplyFactory.Acmez(content),
        "acme_email" => TestReplyFactory.AcmeEmail(content),
        "mua-qp" => TestReplyFactory.MuaQuotedPrintable(content),
        "mua-base64" => TestReplyFactory.MuaBase64(content),
        "mua-alternative" => TestReplyFactory.MuaAlternative(content),
        "mua-mixed-disclaimer" => TestReplyFactory.MuaMixedWithDisclaimer(content),
        "mua-encoded-subject" => TestReplyFactory.MuaEncodedSubject(content),
        "mua-encoded-subject-lang" => TestReplyFactory.MuaEncodedSubject(content, "EN"),
        _ => throw new ArgumentOutOfRangeException(nameof(style)),
    };

    private static NewLineFormat NewLine(string style) => style == "acme_email" ? NewLineFormat.Unix : NewLineFormat.Dos;

    [TestCaseSource(nameof(Styles))]
    public async Task ValidateAsync_SignedReplyInClientStyle_Succeeds(string style)
    {
        var scenario = new ReplyScenario();
        var message = Build(style, ReplyScenario.Content);
        ReplyScenario.SignRsa(message);

        var outcome = await scenario.Validator().ValidateAsync(
            await TestReplyFactory.AsReceivedAsync(message, NewLine(style)), ReplyScenario.Expectation, CancellationToken.None);

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
        Assert.That(outcome.Value!.From, Is.EqualTo(ReplyScenario.Identifier));
        Assert.That(outcome.Value.Dkim.Domain, Is.EqualTo("example.test"));
        Assert.That(outcome.Value.ValidationMethod, Is.EqualTo("SBR 3.2.2.4 (ACME email-reply-00, RFC 8823)"));
        Assert.That(outcome.Value.ValidationMethodVersion, Is.EqualTo("1.0.10"));
    }

    [TestCaseSource(nameof(Styles))]
    public async Task ValidateAsync_Ed25519SignedReply_Succeeds(string style)
    {
        var scenario = new ReplyScenario();
        var message = Build(style, ReplyScenario.Content);
        TestReplyFactory.Sign(message, DkimTestKey.Ed25519, "example.test", "ed", ReplyScenario.Now);

        var outcome = await scenario.Validator().ValidateAsync(
            await TestReplyFactory.AsReceivedAsync(message, NewLine(style)), ReplyScenario.Expectation, CancellationToken.None);

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
        Assert.That(outcome.Value!.Dkim.Algorithm, Is.EqualTo("ed25519-sha256"));
    }

    [TestCase("acme4j", TokenJoin.String)]
    [TestCase("acmez", TokenJoin.Bytes)]
    [TestCase("acme_email", TokenJoin.Bytes)]
    public async Task ValidateAsync_16ByteTokenPart1_AcceptsTheClientsJoin(string style, TokenJoin join)
    {
        // acmez's vector: a 16-byte token-part1 makes the two joins differ.
        const string t1 = "V4nE8NhYh6edBpfQTg5qqQ";
        const string t2 = "x6I65YvEk6xC4KV0QMvdJw";
        var scenario = new ReplyScenario();
        var digest = ReplyDigest.Compute(t1, t2, ReplyScenario.Thumbprint, join);
        var message = Build(style, ReplyScenario.Content with { TokenPart1 = t1, Digest = digest });
        ReplyScenario.SignRsa(message);
        var expectation = ReplyScenario.Expectation with { TokenPart1 = t1, TokenPart2 = t2 };

        var outcome = await scenario.Validator().ValidateAsync(
            await TestReplyFactory.AsReceivedAsync(message, NewLine(style)), expectation, CancellationToken.None);

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
        Assert.That(outcome.Value!.Join, Is.EqualTo(join));
    }
}
