using Acme.Server.Jws;
using Acme.Server.Protocol.Problems;
using Acme.Tests.Support.Fuzzing;
using Acme.Tests.Support.Jose;
using CsCheck;

namespace Acme.Tests.Server.Jws;

/// <summary>
/// Property: no request body makes the JWS parser, the payload parse or the signature check throw
/// anything but a 4xx <see cref="AcmeProblemException"/> (issue 9, item 5). Seeded and bounded; see
/// <see cref="FuzzRunner"/> for how to replay a failure.
/// </summary>
[Category("Fuzz")]
public sealed class JwsParserFuzzTests
{
    private const ulong Seed = 0x5EED_0001;

    private TestAccountKey _es256 = null!;
    private TestAccountKey _rs256 = null!;
    private JsonWebKey _es256Jwk = null!;
    private JsonWebKey _rs256Jwk = null!;

    [OneTimeSetUp]
    public void CreateKeys()
    {
        _es256 = TestAccountKey.Create("ES256");
        _rs256 = TestAccountKey.Create("RS256");
        _es256Jwk = ServerKey(_es256);
        _rs256Jwk = ServerKey(_rs256);
    }

    [OneTimeTearDown]
    public void DisposeKeys()
    {
        _es256.Dispose();
        _rs256.Dispose();
    }

    [Test]
    public void AnyBody_OnlyMalformedStyleProblems()
    {
        var inputs = Gen.Select(JwsRecipe.Generator(Payloads), Gen.Bool, Gen.Bool);

        FuzzRunner.Run(inputs, input =>
        {
            var (recipe, rsa, jwk) = input;
            var key = rsa ? _rs256 : _es256;
            var body = recipe.Build(new JwsContext(key, "bm9uY2U", "https://acme.test/new-order", "https://acme.test/acct/1", jwk));
            foreach (var rules in Enum.GetValues<JwsRules>())
            {
                ParseFully(body, rules, rsa ? _rs256Jwk : _es256Jwk);
            }
        }, iterations: 2500, Seed, print: i => i.ToString());
    }

    [Test]
    public void RandomBytes_OnlyMalformedStyleProblems()
    {
        FuzzRunner.Run(FuzzJson.Document, body => ParseFully(body, JwsRules.Outer, _es256Jwk), iterations: 1000, Seed + 1);
    }

    /// <summary>Payloads as the endpoints see them: JSON-ish octets, POST-as-GET, and inner JWS for keyChange.</summary>
    internal static Gen<byte[]> Payloads => Gen.Frequency(
        (6, FuzzJson.Document),
        (1, Gen.Const(Array.Empty<byte>())),
        (1, Gen.Const("{}"u8.ToArray())));

    private static JsonWebKey ServerKey(TestAccountKey key)
    {
        using var document = System.Text.Json.JsonDocument.Parse(key.PublicJwk().ToJsonString());
        return JsonWebKey.Parse(document.RootElement);
    }

    private static void ParseFully(byte[] body, JwsRules rules, JsonWebKey accountKey)
    {
        try
        {
            var jws = JwsParser.Parse(body, rules);
            _ = jws.PayloadJson();
            _ = JwsSignatureVerifier.VerifySignature(jws, jws.Header.Key ?? accountKey);
            _ = JwsParser.Parse(jws.Payload, JwsRules.KeyChangeInner);
        }
        catch (AcmeProblemException e) when (e.Problem.Status is >= 400 and < 500)
        {
            // The expected outcome for hostile input.
        }
    }
}
