using System.Text;
using Acme.Server.Jws;
using Acme.Server.Protocol.Problems;
using Acme.Tests.Support.Jose;
using Acme.Validation.Codecs;

namespace Acme.Tests.Server.Jws;

/// <summary>
/// Invalid UTF-8 and unpaired surrogates anywhere in untrusted JSON are <c>malformed</c>, never an
/// <see cref="InvalidOperationException"/> from a later string getter (RFC 8259 §8.1, §8.2).
/// </summary>
public sealed class StrictJsonTests : JwsParserTestBase
{
    private static readonly byte[] BrokenUtf8 = [0xC3, 0x28];

    private static byte[] Bytes(params object[] parts)
    {
        var bytes = new List<byte>();
        foreach (var part in parts)
        {
            bytes.AddRange(part is string text ? Encoding.UTF8.GetBytes(text) : (byte[])part);
        }

        return [.. bytes];
    }

    private static AcmeProblem ParseObjectFails(byte[] utf8) =>
        Assert.Throws<AcmeProblemException>(() => StrictJson.ParseObject(utf8, "the protected header"))!.Problem;

    private static string B64(byte[] bytes) => StrictBase64Url.Encode(bytes);

    [Test]
    public void ParseObject_RawInvalidUtf8InValue_MalformedNamingTheOffset()
    {
        var problem = ParseObjectFails(Bytes("{\"kid\":\"", BrokenUtf8, "\"}"));

        Assert.That(problem.Type, Is.EqualTo(AcmeProblemTypes.Malformed));
        Assert.That(problem.Detail, Does.StartWith("the protected header is not valid UTF-8 JSON:").And.Contains("0xC3 at offset 8"));
    }

    [TestCase("{\"kid\":\"\\ud800\"}", "$.kid")]
    [TestCase("{\"a\":[\"ok\",\"x\\udc00\"]}", "$.a[1]")]
    [TestCase("{\"\\ud800\":1}", "member name")]
    [TestCase("{\"jwk\":{\"x\\ud800y\":\"1\"}}", "$.jwk")]
    public void ParseObject_UnpairedSurrogateEscape_MalformedNamingTheString(string json, string where)
    {
        var problem = ParseObjectFails(Encoding.UTF8.GetBytes(json));

        Assert.That(problem.Type, Is.EqualTo(AcmeProblemTypes.Malformed));
        Assert.That(problem.Detail, Does.StartWith("the protected header is not valid UTF-8 JSON:").And.Contains(where).And.Contains("surrogate"));
    }

    [Test]
    public void ParseObject_RawInvalidUtf8InMemberName_Malformed()
    {
        Assert.That(ParseObjectFails(Bytes("{\"", new byte[] { 0xFF }, "\":1}")).Detail, Does.Contain("not valid UTF-8"));
    }

    [Test]
    public void ParseObject_PairedSurrogatesAndNonAscii_Accepted()
    {
        var element = StrictJson.ParseObject(Encoding.UTF8.GetBytes("{\"a\":\"\\ud83d\\ude00 é 😀\"}"), "x");

        Assert.That(element.GetProperty("a").GetString(), Is.EqualTo("😀 é 😀"));
    }

    [Test]
    public void Parse_InvalidUtf8InOuterJwsObject_Malformed()
    {
        var body = Bytes("{\"protected\":\"", BrokenUtf8, "\",\"payload\":\"\",\"signature\":\"AA\"}");

        var problem = Assert.Throws<AcmeProblemException>(() => JwsParser.Parse(body, JwsRules.Outer))!.Problem;
        Assert.That(problem.Detail, Does.StartWith("the request body is not valid UTF-8 JSON:"));
    }

    [Test]
    public void Parse_SurrogateEscapeInOuterMemberName_Malformed()
    {
        var body = Encoding.UTF8.GetBytes("{\"\\udfff\":\"\",\"protected\":\"e30\",\"payload\":\"\",\"signature\":\"AA\"}");

        Assert.That(Assert.Throws<AcmeProblemException>(() => JwsParser.Parse(body, JwsRules.Outer))!.Problem.Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_SurrogateEscapeAsCompactString_Malformed()
    {
        Assert.That(Assert.Throws<AcmeProblemException>(() => JwsParser.Parse("\"a.b\\ud800.c\""u8, JwsRules.Outer))!.Problem.Type,
            Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [TestCase("{\"alg\":\"ES256\",\"nonce\":\"bm9uY2U\",\"url\":\"\\ud800\",\"kid\":\"k\"}")]
    [TestCase("{\"alg\":\"ES256\",\"nonce\":\"bm9uY2U\",\"url\":\"u\",\"kid\":\"k\",\"\\ud800\":1}")]
    public void Parse_ProtectedHeaderWithSurrogateEscape_Malformed(string header)
    {
        var body = Flat(B64(Encoding.UTF8.GetBytes(header)), B64(Encoding.UTF8.GetBytes(Payload)));

        var problem = Assert.Throws<AcmeProblemException>(() => JwsParser.Parse(body, JwsRules.Outer))!.Problem;
        Assert.That(problem.Detail, Does.StartWith("the protected header is not valid UTF-8 JSON:"));
    }

    [Test]
    public void Parse_ProtectedHeaderWithRawInvalidUtf8_Malformed()
    {
        var header = Bytes("{\"alg\":\"ES256\",\"nonce\":\"bm9uY2U\",\"url\":\"u\",\"kid\":\"", BrokenUtf8, "\"}");

        var problem = Assert.Throws<AcmeProblemException>(() => JwsParser.Parse(Flat(B64(header), ""), JwsRules.Outer))!.Problem;
        Assert.That(problem.Detail, Does.StartWith("the protected header is not valid UTF-8 JSON:"));
    }

    [TestCase(new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D })]
    [TestCase(new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D })]
    public void PayloadJson_InvalidUtf8_Malformed(byte[] payload)
    {
        var jws = JwsParser.Parse(Encoding.UTF8.GetBytes(Signed(B64(payload))), JwsRules.Outer);

        var problem = Assert.Throws<AcmeProblemException>(() => jws.PayloadJson())!.Problem;
        Assert.That(problem.Detail, Does.StartWith("the JWS payload is not valid UTF-8 JSON:"));
    }

    [Test]
    public void PayloadJson_SurrogateEscapeInMemberName_Malformed()
    {
        var jws = JwsParser.Parse(Encoding.UTF8.GetBytes(Signed(B64("{\"\\ud800\":\"x\"}"u8.ToArray()))), JwsRules.Outer);

        Assert.That(Assert.Throws<AcmeProblemException>(() => jws.PayloadJson())!.Problem.Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    private static byte[] Flat(string protectedPart, string payloadPart) =>
        Encoding.UTF8.GetBytes(JwsBuilder.Flattened(protectedPart, payloadPart, "AAAA"));

    private string Signed(string payloadPart)
    {
        var header = B64(Encoding.UTF8.GetBytes(JwsBuilder.Header(Es256, Url, Nonce, AccountUrl).ToJsonString()));
        return JwsBuilder.Flattened(header, payloadPart, "AAAA");
    }
}
