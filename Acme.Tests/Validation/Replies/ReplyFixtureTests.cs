using Acme.Tests.Support.Mail;
using Acme.Validation.Outcomes;
using MimeKit;

namespace Acme.Tests.Validation.Replies;

/// <summary>
/// Replies stored as <c>.eml</c> under TestData/replies, signed once with the committed key
/// TestData/dkim/fixture-rsa.pem (selector <c>fixture</c>, domain example.test). They are parsed
/// from disk and verified on the bytes as loaded; nothing is re-signed at test time.
/// </summary>
[TestFixture]
public sealed class ReplyFixtureTests
{
    private const string Selector = "fixture";

    public static readonly string[] Fixtures = ["acme4j", "acme4j-padded", "acmez", "acme_email", "mua-alternative", "mua-mixed-disclaimer", "mua-encoded-subject"];

    private static string FixturePath(string style) => DkimTestKey.TestDataPath("replies", style + ".eml");

    private static ReplyScenario ScenarioWithFixtureKey()
    {
        var scenario = new ReplyScenario();
        var txt = File.ReadAllText(DkimTestKey.TestDataPath("dkim", "fixture-rsa.txt")).Trim();
        scenario.Lookup.PublishKey(Selector, "example.test", txt);
        return scenario;
    }

    [TestCaseSource(nameof(Fixtures))]
    public async Task ValidateAsync_FixtureLoadedFromDisk_Succeeds(string style)
    {
        var scenario = ScenarioWithFixtureKey();
        await using var stream = File.OpenRead(FixturePath(style));
        var message = await MimeMessage.LoadAsync(new ParserOptions(), stream, CancellationToken.None);

        var outcome = await scenario.Validator().ValidateAsync(message, ReplyScenario.Expectation, CancellationToken.None);

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
        Assert.That(outcome.Value!.Dkim.Selector, Is.EqualTo(Selector));
    }

    [TestCaseSource(nameof(Fixtures))]
    public async Task ValidateAsync_FixtureWithOneBodyByteChanged_FailsDkim(string style)
    {
        var scenario = ScenarioWithFixtureKey();
        var raw = await File.ReadAllBytesAsync(FixturePath(style));
        var bodyStart = IndexOf(raw, "-----BEGIN ACME RESPONSE-----"u8.ToArray());
        Assert.That(bodyStart, Is.GreaterThan(0), "the fixture holds a readable response block");
        raw[bodyStart + 2] = (byte)'X';

        var message = await TestReplyFactory.ParseAsync(raw);
        var outcome = await scenario.Validator().ValidateAsync(message, ReplyScenario.Expectation, CancellationToken.None);

        Assert.That(outcome.IsSuccess, Is.False);
        Assert.That(outcome.Failure!.Kind, Is.EqualTo(FailureKind.Unauthorized));
        Assert.That(outcome.Failure.Detail, Does.Contain("does not verify"));
    }

    [Test]
    [Explicit("Regenerates the committed .eml fixtures; run by hand only")]
    public async Task Generate_Fixtures_WritesEmlFilesIntoSourceTree()
    {
        var target = Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "TestData", "replies"));
        Directory.CreateDirectory(target);
        foreach (var style in Fixtures)
        {
            var message = ReplyValidatorStyleTests.Build(style, ReplyScenario.Content);
            TestReplyFactory.Sign(message, DkimTestKey.Fixture, "example.test", Selector, ReplyScenario.Now.AddMinutes(-5));
            var bytes = TestReplyFactory.ToBytes(message, style == "acme_email" ? NewLineFormat.Unix : NewLineFormat.Dos);
            await File.WriteAllBytesAsync(Path.Combine(target, style + ".eml"), bytes);
        }

        Assert.That(Directory.GetFiles(target, "*.eml"), Has.Length.GreaterThanOrEqualTo(Fixtures.Length));
    }

    private static int IndexOf(byte[] haystack, byte[] needle) =>
        haystack.AsSpan().IndexOf(needle);
}
