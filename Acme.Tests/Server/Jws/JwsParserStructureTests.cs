using System.Text;
using System.Text.Json.Nodes;
using Acme.Server.Jws;
using Acme.Server.Protocol.Problems;
using Acme.Tests.Support.Jose;
using Acme.Validation.Codecs;

namespace Acme.Tests.Server.Jws;

/// <summary>RFC 8555 §6.1 and §6.2: serialization, encoding and duplicate-member rules.</summary>
public sealed class JwsParserStructureTests : JwsParserTestBase
{
    [Test]
    public void Parse_OuterWithJwk_ExposesHeaderAndPayload()
    {
        var jws = Parse(JwsBuilder.Sign(Es256, JwsBuilder.Header(Es256, Url, Nonce, null), Payload));

        Assert.That(jws.Header.Algorithm, Is.EqualTo("ES256"));
        Assert.That(jws.Header.Nonce, Is.EqualTo(Nonce));
        Assert.That(jws.Header.Url, Is.EqualTo(Url));
        Assert.That(jws.Header.KeyId, Is.Null);
        Assert.That(jws.Header.Key!.Thumbprint, Is.EqualTo(Es256.Thumbprint));
        Assert.That(jws.IsPostAsGet, Is.False);
        Assert.That(Encoding.UTF8.GetString(jws.Payload), Is.EqualTo(Payload));
        Assert.That(jws.PayloadJson()!.Value.GetProperty("identifiers").GetArrayLength(), Is.EqualTo(1));
        Assert.That(jws.Header.Raw.GetProperty("url").GetString(), Is.EqualTo(Url));
    }

    [Test]
    public void Parse_OuterWithKid_HasKeyIdAndNoKey()
    {
        var jws = Parse(JwsBuilder.Sign(Es256, JwsBuilder.Header(Es256, Url, Nonce, AccountUrl), Payload));

        Assert.That(jws.Header.KeyId, Is.EqualTo(AccountUrl));
        Assert.That(jws.Header.Key, Is.Null);
    }

    [Test]
    public void Parse_EmptyPayload_IsPostAsGet()
    {
        var jws = Parse(JwsBuilder.Sign(Es256, JwsBuilder.Header(Es256, Url, Nonce, AccountUrl), string.Empty));

        Assert.That(jws.IsPostAsGet, Is.True);
        Assert.That(jws.PayloadJson(), Is.Null);
        Assert.That(jws.SigningInput, Is.EqualTo(Encoding.ASCII.GetBytes(jws.ProtectedPart + ".")));
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
        var header = JwsBuilder.Header(Es256, Url, Nonce, null).ToJsonString();
        var x = (string)Es256.PublicJwk()["x"]!;
        var withDuplicate = header.Replace("\"kty\":\"EC\"", $"\"kty\":\"EC\",\"x\":\"{x}\"", StringComparison.Ordinal);
        Assert.That(withDuplicate, Is.Not.EqualTo(header));

        Assert.That(Fails(RawJws(withDuplicate)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void PayloadJson_DuplicateMember_Malformed()
    {
        var jws = Parse(JwsBuilder.Sign(Es256, JwsBuilder.Header(Es256, Url, Nonce, AccountUrl), """{"a":1,"a":2}"""));

        Assert.That(Assert.Throws<AcmeProblemException>(() => jws.PayloadJson())!.Problem.Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [TestCase("[1,2]")]
    [TestCase("\"text\"")]
    [TestCase("{\"a\":")]
    public void PayloadJson_NotAnObject_Malformed(string payload)
    {
        var jws = Parse(JwsBuilder.Sign(Es256, JwsBuilder.Header(Es256, Url, Nonce, AccountUrl), payload));

        Assert.That(Assert.Throws<AcmeProblemException>(() => jws.PayloadJson())!.Problem.Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [TestCase("[]")]
    [TestCase("not json")]
    public void Parse_ProtectedHeaderNotAnObject_Malformed(string headerText)
    {
        Assert.That(Fails(RawJws(headerText)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }
}
