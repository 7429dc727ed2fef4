using System.Text;
using System.Text.Json.Nodes;
using Acme.Server.Jws;
using Acme.Server.Protocol.Problems;
using Acme.Tests.Support.Jose;
using Acme.Validation.Codecs;

namespace Acme.Tests.Server.Jws;

/// <summary>RFC 8555 §6.2, §6.5, §7.3.4 and §7.3.5: protected header rules per kind of JWS.</summary>
public sealed class JwsParserHeaderTests : JwsParserTestBase
{
    [Test]
    public void Parse_AlgNone_BadSignatureAlgorithm()
    {
        var header = JwsBuilder.Header(Es256, Url, Nonce, AccountUrl);
        header["alg"] = "none";

        Assert.That(Fails(JwsBuilder.Sign(Es256, header, Payload)).Type, Is.EqualTo(AcmeProblemTypes.BadSignatureAlgorithm));
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
        var header = JwsBuilder.Header(Es256, Url, Nonce, AccountUrl);
        header["alg"] = alg;

        var problem = Fails(JwsBuilder.Sign(Es256, header, Payload));

        Assert.That(problem.Type, Is.EqualTo(AcmeProblemTypes.BadSignatureAlgorithm));
        Assert.That(problem.Algorithms, Is.EquivalentTo(new[] { "ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA" }));
    }

    [Test]
    public void Parse_KeyChangeInnerWithHmac_BadSignatureAlgorithm()
    {
        var header = new JsonObject { ["alg"] = "HS256", ["url"] = Url, ["jwk"] = Es256.PublicJwk() };

        Assert.That(Fails(JwsBuilder.SignHmac("HS256", new byte[32], header, Payload), JwsRules.KeyChangeInner).Type, Is.EqualTo(AcmeProblemTypes.BadSignatureAlgorithm));
    }

    [Test]
    public void Parse_MissingAlg_Malformed()
    {
        var header = JwsBuilder.Header(Es256, Url, Nonce, AccountUrl);
        header.Remove("alg");

        Assert.That(Fails(JwsBuilder.Sign(Es256, header, Payload)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_JwkAndKid_Malformed()
    {
        var header = JwsBuilder.Header(Es256, Url, Nonce, null);
        header["kid"] = AccountUrl;

        Assert.That(Fails(JwsBuilder.Sign(Es256, header, Payload)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_NeitherJwkNorKid_Malformed()
    {
        var header = JwsBuilder.Header(Es256, Url, Nonce, AccountUrl);
        header.Remove("kid");

        Assert.That(Fails(JwsBuilder.Sign(Es256, header, Payload)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [TestCase("b64")]
    [TestCase("crit")]
    public void Parse_UnencodedPayloadOption_Malformed(string member)
    {
        var header = JwsBuilder.Header(Es256, Url, Nonce, AccountUrl);
        header["b64"] = false;
        if (member == "crit")
        {
            header.Remove("b64");
            header["crit"] = new JsonArray("b64");
        }

        Assert.That(Fails(JwsBuilder.Sign(Es256, header, Payload)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_MissingNonceInOuter_BadNonce()
    {
        var problem = Fails(JwsBuilder.Sign(Es256, JwsBuilder.Header(Es256, Url, null, AccountUrl), Payload));

        Assert.That(problem.Type, Is.EqualTo(AcmeProblemTypes.BadNonce));
    }

    [TestCase("bm9uY2U=")]
    [TestCase("no nce")]
    [TestCase("")]
    public void Parse_NonceNotBase64Url_Malformed(string nonce)
    {
        Assert.That(Fails(JwsBuilder.Sign(Es256, JwsBuilder.Header(Es256, Url, nonce, AccountUrl), Payload)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_MissingUrl_Malformed()
    {
        var header = JwsBuilder.Header(Es256, Url, Nonce, AccountUrl);
        header.Remove("url");

        Assert.That(Fails(JwsBuilder.Sign(Es256, header, Payload)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_HeaderValueNotString_Malformed()
    {
        var header = JwsBuilder.Header(Es256, Url, Nonce, AccountUrl);
        header["kid"] = 1;

        Assert.That(Fails(JwsBuilder.Sign(Es256, header, Payload)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_Es256WithP384Jwk_BadSignatureAlgorithm()
    {
        var header = JwsBuilder.Header(Es384, Url, Nonce, null);
        header["alg"] = "ES256";

        Assert.That(Fails(JwsBuilder.Sign(Es256, header, Payload)).Type, Is.EqualTo(AcmeProblemTypes.BadSignatureAlgorithm));
    }

    [Test]
    public void Parse_PrivateMemberInJwk_Malformed()
    {
        var header = JwsBuilder.Header(Es256, Url, Nonce, null);
        header["jwk"]!["d"] = "AQAB";

        Assert.That(Fails(JwsBuilder.Sign(Es256, header, Payload)).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_KeyChangeInnerWithoutNonce_Succeeds()
    {
        var jws = Parse(JwsBuilder.Sign(Es384, JwsBuilder.Header(Es384, Url, null, null), Payload), JwsRules.KeyChangeInner);

        Assert.That(jws.Header.Key!.Thumbprint, Is.EqualTo(Es384.Thumbprint));
        Assert.That(jws.Header.Nonce, Is.Null);
    }

    [Test]
    public void Parse_KeyChangeInnerWithKid_Malformed()
    {
        var body = JwsBuilder.Sign(Es384, JwsBuilder.Header(Es384, Url, null, AccountUrl), Payload);

        Assert.That(Fails(body, JwsRules.KeyChangeInner).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_KeyChangeInnerWithoutUrl_Malformed()
    {
        var header = JwsBuilder.Header(Es384, Url, null, null);
        header.Remove("url");

        Assert.That(Fails(JwsBuilder.Sign(Es384, header, Payload), JwsRules.KeyChangeInner).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [TestCase("HS256")]
    [TestCase("HS384")]
    [TestCase("HS512")]
    public void Parse_ExternalAccountBinding_AcceptsMac(string alg)
    {
        var header = new JsonObject { ["alg"] = alg, ["kid"] = "eab-1", ["url"] = Url };

        var jws = Parse(JwsBuilder.SignHmac(alg, new byte[32], header, Es256.PublicJwk().ToJsonString()), JwsRules.ExternalAccountBinding);

        Assert.That(jws.Header.KeyId, Is.EqualTo("eab-1"));
        Assert.That(jws.Header.Algorithm, Is.EqualTo(alg));
    }

    [Test]
    public void Parse_ExternalAccountBindingWithAsymmetricAlg_Malformed()
    {
        var header = new JsonObject { ["alg"] = "ES256", ["kid"] = "eab-1", ["url"] = Url };

        Assert.That(Fails(JwsBuilder.Sign(Es256, header, Payload), JwsRules.ExternalAccountBinding).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
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
            case "jwk": header.Remove("kid"); header["jwk"] = Es256.PublicJwk(); break;
            case "no-kid": header.Remove("kid"); break;
            default: header.Remove("url"); break;
        }

        var body = JwsBuilder.SignHmac("HS256", new byte[32], header, Es256.PublicJwk().ToJsonString());

        Assert.That(Fails(body, JwsRules.ExternalAccountBinding).Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }
}
