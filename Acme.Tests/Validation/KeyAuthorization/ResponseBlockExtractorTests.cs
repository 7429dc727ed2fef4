using Acme.Validation.KeyAuthorization;
using Acme.Validation.Outcomes;

namespace Acme.Tests.Validation.KeyAuthorization;

[TestFixture]
public sealed class ResponseBlockExtractorTests
{
    private const string Digest = "Fjt2SD7KoqSt3I6jwgg8ljjkP9Er7h1w0wF0UihvQIU";
    private const string Begin = "-----BEGIN ACME RESPONSE-----";
    private const string End = "-----END ACME RESPONSE-----";

    [TestCase(Begin + "\r\n" + Digest + "\r\n" + End + "\r\n", TestName = "Extract_CrlfBlock_ReturnsDigest")]
    [TestCase(Begin + "\n" + Digest + "\n" + End, TestName = "Extract_BareLfBlock_ReturnsDigest")]
    [TestCase("Hello\r\n\r\n" + Begin + "\r\n" + Digest + "\r\n" + End + "\r\n-- \r\nAlice\r\n", TestName = "Extract_TextAroundBlock_IsIgnored")]
    [TestCase("  " + Begin + "  \r\n" + Digest + "\r\n\t" + End + " \r\n", TestName = "Extract_WhitespaceAroundDelimiters_IsTolerated")]
    [TestCase(Begin + "\r\nFjt2SD7KoqSt3I6jwgg8lj\r\njkP9Er7h1w0wF0UihvQIU=\r\n" + End + "\r\n", TestName = "Extract_PaddedDigestOverTwoLines_IsJoinedAndUnpadded")]
    [TestCase(Begin + "\r\n Fjt2SD7Koq St3I6jwgg8ljjkP9Er7h1w0wF0UihvQIU \r\n\r\n" + End, TestName = "Extract_SpacesAndBlankLinesInBlock_AreDropped")]
    public void Extract_ValidBlock_ReturnsDigest(string text)
    {
        var outcome = ResponseBlockExtractor.Extract(text);

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
        Assert.That(outcome.Value, Is.EqualTo(Digest));
    }

    [TestCase(null, "no text/plain")]
    [TestCase("just some text", "no " + Begin)]
    [TestCase(End + "\r\n" + Digest + "\r\n", "but no " + Begin)]
    [TestCase(End + "\r\n" + Digest + "\r\n" + Begin + "\r\n", "comes before")]
    [TestCase(Begin + "\r\n" + Digest + "\r\n", "no " + End)]
    [TestCase(Begin + "\r\n\r\n" + End + "\r\n", "empty")]
    [TestCase(Begin + "\r\n====\r\n" + End + "\r\n", "empty")]
    [TestCase(Begin + "\r\nFjt2SD7Koq+St3I6jwgg8ljjkP9Er7h1w0wF0UihvQIU\r\n" + End, "'+'")]
    [TestCase(Begin + "\r\nFjt2SD7Koq=St3I6jwgg8ljjkP9Er7h1w0wF0UihvQIU\r\n" + End, "'=' inside")]
    [TestCase("> " + Begin + "\r\n> " + Digest + "\r\n> " + End + "\r\n", "no " + Begin)]
    public void Extract_BadBlock_FailsWithIncorrectResponseNamingReason(string? text, string reason)
    {
        var outcome = ResponseBlockExtractor.Extract(text);

        Assert.That(outcome.IsSuccess, Is.False);
        Assert.That(outcome.Failure!.Kind, Is.EqualTo(FailureKind.IncorrectResponse));
        Assert.That(outcome.Failure.Detail, Does.Contain(reason));
    }
}
