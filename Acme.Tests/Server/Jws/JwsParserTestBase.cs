using System.Text;
using System.Text.Json.Nodes;
using Acme.Server.Jws;
using Acme.Server.Protocol.Problems;
using Acme.Tests.Support.Jose;
using Acme.Validation.Codecs;

namespace Acme.Tests.Server.Jws;

/// <summary>Keys, constants and helpers shared by the JwsParser test fixtures.</summary>
public abstract class JwsParserTestBase
{
    protected const string Url = "https://acme.test/acme/new-order";
    protected const string Nonce = "bm9uY2UtMQ";
    protected const string AccountUrl = "https://acme.test/acme/acct/1";
    protected const string Payload = """{"identifiers":[{"type":"email","value":"a@example.org"}]}""";

    protected TestAccountKey Es256 { get; private set; } = null!;
    protected TestAccountKey Es384 { get; private set; } = null!;

    [OneTimeSetUp]
    public void CreateKeys()
    {
        Es256 = TestAccountKey.Create("ES256");
        Es384 = TestAccountKey.Create("ES384");
    }

    [OneTimeTearDown]
    public void DisposeKeys()
    {
        Es256.Dispose();
        Es384.Dispose();
    }

    protected string Valid() => JwsBuilder.Sign(Es256, JwsBuilder.Header(Es256, Url, Nonce, AccountUrl), Payload);

    /// <summary>A valid JWS whose three parts all have lengths that need base64 padding.</summary>
    protected string PaddableValid()
    {
        // Payload {"a":1} is 7 octets (10 chars) and an ES256 signature 64 octets (86 chars);
        // the kid length is chosen so that the protected part needs padding too.
        for (var i = 0; ; i++)
        {
            var header = JwsBuilder.Header(Es256, Url, Nonce, AccountUrl + new string('0', i));
            var body = Body(JwsBuilder.Sign(Es256, header, """{"a":1}"""));
            if (((string)body["protected"]!).Length % 4 != 0)
            {
                return body.ToJsonString();
            }
        }
    }

    protected string RawJws(string headerJson)
    {
        var protectedPart = StrictBase64Url.Encode(Encoding.UTF8.GetBytes(headerJson));
        var payloadPart = StrictBase64Url.Encode(Encoding.UTF8.GetBytes(Payload));
        var signature = Es256.Sign(Encoding.ASCII.GetBytes(protectedPart + "." + payloadPart));
        return JwsBuilder.Flattened(protectedPart, payloadPart, StrictBase64Url.Encode(signature));
    }

    protected static JsonObject Body(string jws) => JsonNode.Parse(jws)!.AsObject();

    protected static FlattenedJws Parse(string body, JwsRules rules = JwsRules.Outer) => JwsParser.Parse(Encoding.UTF8.GetBytes(body), rules);

    protected static AcmeProblem Fails(string body, JwsRules rules = JwsRules.Outer) =>
        Assert.Throws<AcmeProblemException>(() => JwsParser.Parse(Encoding.UTF8.GetBytes(body), rules))!.Problem;
}
