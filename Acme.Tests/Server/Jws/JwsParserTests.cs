using System.Text;
using System.Text.Json.Nodes;
using Acme.Server.Jws;
using Acme.Server.Protocol.Problems;
using Acme.Tests.Support.Jose;
using Acme.Validation.Codecs;

namespace Acme.Tests.Server.Jws;

public sealed class JwsParserTests
{
    private const string Url = "https://acme.test/acme/new-order";
    private const string Nonce = "bm9uY2UtMQ";
    private const string AccountUrl = "https://acme.test/acme/acct/1";
    private const string Payload = """{"identifiers":[{"type":"email","value":"a@example.org"}]}""";

    private TestAccountKey _es256 = null!;
    private TestAccountKey _es384 = null!;

    [OneTimeSetUp]
    public void CreateKeys()
    {
        _es256 = TestAccountKey.Create("ES256");
        _es384 = TestAccountKey.Create("ES384");
    }

    [OneTimeTearDown]
    public void DisposeKeys()
    {
        _es256.Dispose();
        _es384.Dispose();
    }

    [Test]
    public void Parse_OuterWithJwk_ExposesHeaderAndPayload()
    {
        var jws = Parse(JwsBuilder.Sign(_es256, JwsBuilder.Header(_es256, Url, Nonce, null), Payload));

        Assert.That(jws.Header.Algorithm, Is.EqualTo("ES256"));
        Assert.That(jws.Header.Nonce, Is.EqualTo(Nonce));
        Assert.That(jws.Header.Url, Is.EqualTo(Url));
        Assert.That(jws.Header.KeyId, Is.Null);
        Assert.That(jws.Header.Key!.Thumbprint, Is.EqualTo(_es256.Thumbprint));
        Assert.That(jws.IsPostAsGet, Is.False);
        Assert.That(Encoding.UTF8.GetString(jws.Payload), Is.EqualTo(Payload));
        Assert.That(jws.PayloadJson()!.Value.GetProperty("identifiers").GetArrayLength(), Is.EqualTo(1));
        Assert.That(jws.Header.Raw.GetProperty("url").GetString(), Is.EqualTo(Url));
    }

    [Test]
    public void Parse_OuterWithKid_HasKeyIdAndNoKey()
    {
        var jws = Parse(JwsBuilder.Sign(_es256, JwsBuilder.Header(_es256, Url, Nonce, AccountUrl), Payload));

        Assert.That(jws.Header.KeyId, Is.EqualTo(AccountUrl));
        Assert.That(jws.Header.Key, Is.Null);
    }

    [Test]
    public void Parse_EmptyPayload_IsPostAsGet()
    {
        var jws = Parse(JwsBuilder.Sign(_es256, JwsBuilder.Header(_es256, Url, Nonce, AccountUrl), string.Empty));

        Assert.That(jws.IsPostAsGet, Is.True);
        Assert.That(jws.PayloadJson(), Is.Null);
        Assert.That(jws.SigningInput, Is.EqualTo(Encoding.ASCII.GetBytes(jws.ProtectedPart + ".")));
    }

    [Test]
    public void Parse_AlgNone_BadSignatureAlgorithm()
    {
        var header = JwsBuilder.Header(_es256, Url, Nonce, AccountUrl);
        header["alg"] = "none";

        Assert.That(Fails(JwsBuilder.Sign(_es256, header, Payload)).Type, Is.EqualTo(AcmeProblemTypes.BadSignatureAlgorithm));
    }

    [TestCase("HS256")]
    [TestCase("HS384")]
    [TestCase("HS512")]
    public void Parse_MacAlgorithmInOuter_BadSignatureAlgorithm(string alg)
    {
        var header = new JsonObject { ["alg"] = alg, ["nonce"] = Nonce, ["url"] = Url, ["kid"] = AccountUrl };

        var problem = Fails(JwsBuilder.SignHmac(alg, new byte[32], header, Payload));

        Assert.That(problem.Type, Is.EqualTo(AcmeProblemTypes.BadSignatureAlgorithm));
    }

    [TestCase("RS384")]
    [TestCase("ES256K")]
    [TestCase("es256")]
    [TestCase("Ed25519")]
    public void Parse_UnknownAlgorithm_BadSignatureAlgorithmListingAlgorithms(string alg)
    {
        var header = JwsBuilder.Header(_es256, Url, Nonce, AccountUrl);
        header["alg"] = alg;

        var problem = Fails(JwsBuilder.Sign(_es256, header, Payload));

        Assert.That(problem.Type, Is.EqualTo(AcmeProblemTypes.BadSignatureAlgorithm));
        Assert.That(problem.Algorithms, Is.EquivalentTo(new[] { "ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA" }));
    }

    [Test]
    public void Parse_KeyChangeInnerWithHmac_BadSignatureAlgorithm()
    {
        var header = new JsonObject { ["alg"] = "HS256", ["url"] = Url, ["jwk"] = _es256.PublicJwk() };

        Assert.That(Fails(JwsBuilder.SignHmac("HS256", new byte[32], header, Payload), JwsRules.KeyChangeInner).Type, Is.EqualTo(AcmeProblemTypes.BadSignatureAlgorithm));
    }

    [Test]
    public void Parse_MissingAlg_Malformed()
    {
        var header = JwsBuilder.Header(_es256, Url, Nonce, AccountUrl);
        header.Remove("alg");

        Assert.That(Fails(JwsBuilder.Sign(_es256, header, Payload)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_UnprotectedHeader_Malformed()
    {
        var body = Body(Valid());
        body["header"] = new JsonObject { ["kid"] = AccountUrl };

        Assert.That(Fails(body.ToJsonString()).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_GeneralSerialization_Malformed()
    {
        var flat = Body(Valid());
        var general = new JsonObject
        {
            ["payload"] = (string)flat["payload"]!,
            ["signatures"] = new JsonArray(new JsonObject { ["protected"] = (string)flat["protected"]!, ["signature"] = (string)flat["signature"]! }),
        };

        Assert.That(Fails(general.ToJsonString()).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_CompactSerialization_Malformed()
    {
        var flat = Body(Valid());
        var compact = $"{flat["protected"]}.{flat["payload"]}.{flat["signature"]}";

        Assert.That(Fails(compact).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
        Assert.That(Fails("\"" + compact + "\"").Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [TestCase("[]")]
    [TestCase("42")]
    [TestCase("not json")]
    [TestCase("")]
    public void Parse_BodyNotAnObject_Malformed(string body)
    {
        Assert.That(Fails(body).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_UnknownMember_Malformed()
    {
        var body = Body(Valid());
        body["extra"] = "x";

        Assert.That(Fails(body.ToJsonString()).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [TestCase("protected")]
    [TestCase("payload")]
    [TestCase("signature")]
    public void Parse_MissingPart_Malformed(string part)
    {
        var body = Body(Valid());
        body.Remove(part);

        Assert.That(Fails(body.ToJsonString()).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [TestCase("protected")]
    [TestCase("payload")]
    [TestCase("signature")]
    public void Parse_PaddedPart_Malformed(string part)
    {
        var body = Body(PaddableValid());
        var text = (string)body[part]!;
        Assert.That(text.Length % 4, Is.Not.Zero, "the part must need padding for this test to mean anything");
        body[part] = text + new string('=', 4 - (text.Length % 4));

        Assert.That(Fails(body.ToJsonString()).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [TestCase("protected")]
    [TestCase("payload")]
    [TestCase("signature")]
    public void Parse_StandardBase64Alphabet_Malformed(string part)
    {
        var body = Body(Valid());
        body[part] = "+/" + (string)body[part]!;

        Assert.That(Fails(body.ToJsonString()).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_PartNotAString_Malformed()
    {
        var body = Body(Valid());
        body["payload"] = new JsonObject();

        Assert.That(Fails(body.ToJsonString()).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_JwkAndKid_Malformed()
    {
        var header = JwsBuilder.Header(_es256, Url, Nonce, null);
        header["kid"] = AccountUrl;

        Assert.That(Fails(JwsBuilder.Sign(_es256, header, Payload)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_NeitherJwkNorKid_Malformed()
    {
        var header = JwsBuilder.Header(_es256, Url, Nonce, AccountUrl);
        header.Remove("kid");

        Assert.That(Fails(JwsBuilder.Sign(_es256, header, Payload)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [TestCase("b64")]
    [TestCase("crit")]
    public void Parse_UnencodedPayloadOption_Malformed(string member)
    {
        var header = JwsBuilder.Header(_es256, Url, Nonce, AccountUrl);
        header["b64"] = false;
        if (member == "crit")
        {
            header.Remove("b64");
            header["crit"] = new JsonArray("b64");
        }

        Assert.That(Fails(JwsBuilder.Sign(_es256, header, Payload)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_DuplicateBodyMember_Malformed()
    {
        var body = Body(Valid());
        var text = body.ToJsonString().TrimEnd('}') + $",\"payload\":\"{body["payload"]}\"}}";

        Assert.That(Fails(text).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [TestCase("""{"alg":"ES256","alg":"ES256","nonce":"bm9uY2UtMQ","url":"https://acme.test/x","kid":"k"}""")]
    [TestCase("""{"alg":"ES256","\u0061lg":"ES256","nonce":"bm9uY2UtMQ","url":"https://acme.test/x","kid":"k"}""")]
    [TestCase("""{"alg":"ES256","nonce":"bm9uY2UtMQ","url":"https://acme.test/x","url":"https://acme.test/y","kid":"k"}""")]
    public void Parse_DuplicateHeaderMember_Malformed(string headerJson)
    {
        Assert.That(Fails(RawJws(headerJson)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_DuplicateMemberInsideJwk_Malformed()
    {
        var header = JwsBuilder.Header(_es256, Url, Nonce, null).ToJsonString();
        var x = (string)_es256.PublicJwk()["x"]!;
        var withDuplicate = header.Replace("\"kty\":\"EC\"", $"\"kty\":\"EC\",\"x\":\"{x}\"", StringComparison.Ordinal);
        Assert.That(withDuplicate, Is.Not.EqualTo(header));

        Assert.That(Fails(RawJws(withDuplicate)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void PayloadJson_DuplicateMember_Malformed()
    {
        var jws = Parse(JwsBuilder.Sign(_es256, JwsBuilder.Header(_es256, Url, Nonce, AccountUrl), """{"a":1,"a":2}"""));

        Assert.That(Assert.Throws<AcmeProblemException>(() => jws.PayloadJson())!.Problem.Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [TestCase("[1,2]")]
    [TestCase("\"text\"")]
    [TestCase("{\"a\":")]
    public void PayloadJson_NotAnObject_Malformed(string payload)
    {
        var jws = Parse(JwsBuilder.Sign(_es256, JwsBuilder.Header(_es256, Url, Nonce, AccountUrl), payload));

        Assert.That(Assert.Throws<AcmeProblemException>(() => jws.PayloadJson())!.Problem.Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_MissingNonceInOuter_BadNonce()
    {
        var problem = Fails(JwsBuilder.Sign(_es256, JwsBuilder.Header(_es256, Url, null, AccountUrl), Payload));

        Assert.That(problem.Type, Is.EqualTo(AcmeProblemTypes.BadNonce));
    }

    [TestCase("bm9uY2U=")]
    [TestCase("no nce")]
    [TestCase("")]
    public void Parse_NonceNotBase64Url_Malformed(string nonce)
    {
        Assert.That(Fails(JwsBuilder.Sign(_es256, JwsBuilder.Header(_es256, Url, nonce, AccountUrl), Payload)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_MissingUrl_Malformed()
    {
        var header = JwsBuilder.Header(_es256, Url, Nonce, AccountUrl);
        header.Remove("url");

        Assert.That(Fails(JwsBuilder.Sign(_es256, header, Payload)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_HeaderValueNotString_Malformed()
    {
        var header = JwsBuilder.Header(_es256, Url, Nonce, AccountUrl);
        header["kid"] = 1;

        Assert.That(Fails(JwsBuilder.Sign(_es256, header, Payload)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [TestCase("[]")]
    [TestCase("not json")]
    public void Parse_ProtectedHeaderNotAnObject_Malformed(string headerText)
    {
        Assert.That(Fails(RawJws(headerText)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_Es256WithP384Jwk_BadSignatureAlgorithm()
    {
        var header = JwsBuilder.Header(_es384, Url, Nonce, null);
        header["alg"] = "ES256";

        Assert.That(Fails(JwsBuilder.Sign(_es256, header, Payload)).Type, Is.EqualTo(AcmeProblemTypes.BadSignatureAlgorithm));
    }

    [Test]
    public void Parse_PrivateMemberInJwk_Malformed()
    {
        var header = JwsBuilder.Header(_es256, Url, Nonce, null);
        header["jwk"]!["d"] = "AQAB";

        Assert.That(Fails(JwsBuilder.Sign(_es256, header, Payload)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_KeyChangeInnerWithoutNonce_Succeeds()
    {
        var jws = Parse(JwsBuilder.Sign(_es384, JwsBuilder.Header(_es384, Url, null, null), Payload), JwsRules.KeyChangeInner);

        Assert.That(jws.Header.Key!.Thumbprint, Is.EqualTo(_es384.Thumbprint));
        Assert.That(jws.Header.Nonce, Is.Null);
    }

    [Test]
    public void Parse_KeyChangeInnerWithKid_Malformed()
    {
        var body = JwsBuilder.Sign(_es384, JwsBuilder.Header(_es384, Url, null, AccountUrl), Payload);

        Assert.That(Fails(body, JwsRules.KeyChangeInner).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_KeyChangeInnerWithoutUrl_Malformed()
    {
        var header = JwsBuilder.Header(_es384, Url, null, null);
        header.Remove("url");

        Assert.That(Fails(JwsBuilder.Sign(_es384, header, Payload), JwsRules.KeyChangeInner).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [TestCase("HS256")]
    [TestCase("HS384")]
    [TestCase("HS512")]
    public void Parse_ExternalAccountBinding_AcceptsMac(string alg)
    {
        var header = new JsonObject { ["alg"] = alg, ["kid"] = "eab-1", ["url"] = Url };

        var jws = Parse(JwsBuilder.SignHmac(alg, new byte[32], header, _es256.PublicJwk().ToJsonString()), JwsRules.ExternalAccountBinding);

        Assert.That(jws.Header.KeyId, Is.EqualTo("eab-1"));
        Assert.That(jws.Header.Algorithm, Is.EqualTo(alg));
    }

    [Test]
    public void Parse_ExternalAccountBindingWithAsymmetricAlg_Malformed()
    {
        var header = new JsonObject { ["alg"] = "ES256", ["kid"] = "eab-1", ["url"] = Url };

        Assert.That(Fails(JwsBuilder.Sign(_es256, header, Payload), JwsRules.ExternalAccountBinding).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [TestCase("nonce")]
    [TestCase("jwk")]
    [TestCase("no-kid")]
    [TestCase("no-url")]
    public void Parse_ExternalAccountBindingHeaderRule_Malformed(string change)
    {
        var header = new JsonObject { ["alg"] = "HS256", ["kid"] = "eab-1", ["url"] = Url };
        switch (change)
        {
            case "nonce": header["nonce"] = Nonce; break;
            case "jwk": header.Remove("kid"); header["jwk"] = _es256.PublicJwk(); break;
            case "no-kid": header.Remove("kid"); break;
            default: header.Remove("url"); break;
        }

        var body = JwsBuilder.SignHmac("HS256", new byte[32], header, _es256.PublicJwk().ToJsonString());

        Assert.That(Fails(body, JwsRules.ExternalAccountBinding).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    private string Valid() => JwsBuilder.Sign(_es256, JwsBuilder.Header(_es256, Url, Nonce, AccountUrl), Payload);

    /// <summary>A valid JWS whose three parts all have lengths that need base64 padding.</summary>
    private string PaddableValid()
    {
        // Payload {"a":1} is 7 octets (10 chars) and an ES256 signature 64 octets (86 chars);
        // the kid length is chosen so that the protected part needs padding too.
        for (var i = 0; ; i++)
        {
            var header = JwsBuilder.Header(_es256, Url, Nonce, AccountUrl + new string('0', i));
            var body = Body(JwsBuilder.Sign(_es256, header, """{"a":1}"""));
            if (((string)body["protected"]!).Length % 4 != 0)
            {
                return body.ToJsonString();
            }
        }
    }

    private string RawJws(string headerJson)
    {
        var protectedPart = StrictBase64Url.Encode(Encoding.UTF8.GetBytes(headerJson));
        var payloadPart = StrictBase64Url.Encode(Encoding.UTF8.GetBytes(Payload));
        var signature = _es256.Sign(Encoding.ASCII.GetBytes(protectedPart + "." + payloadPart));
        return JwsBuilder.Flattened(protectedPart, payloadPart, StrictBase64Url.Encode(signature));
    }

    private static JsonObject Body(string jws) => JsonNode.Parse(jws)!.AsObject();

    private static FlattenedJws Parse(string body, JwsRules rules = JwsRules.Outer) => JwsParser.Parse(Encoding.UTF8.GetBytes(body), rules);

    private static AcmeProblem Fails(string body, JwsRules rules = JwsRules.Outer) =>
        Assert.Throws<AcmeProblemException>(() => JwsParser.Parse(Encoding.UTF8.GetBytes(body), rules))!.Problem;
}
