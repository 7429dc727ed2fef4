using System.Text.Json;
using System.Text.Json.Nodes;
using Acme.Server.Jws;
using Acme.Tests.Support.Jose;
using Acme.Validation.Outcomes;

namespace Acme.Tests.Server.Jws;

public sealed class ExternalAccountBindingVerifierTests
{
    private const string Url = "https://acme.test/acme/new-account";
    private const string Kid = "eab-key-1";

    private static byte[] MacKey => [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private TestAccountKey _account = null!;
    private TestAccountKey _otherAccount = null!;
    private JsonWebKey _accountKey = null!;

    [OneTimeSetUp]
    public void CreateKeys()
    {
        _account = TestAccountKey.Create("ES256");
        _otherAccount = TestAccountKey.Create("EdDSA");
        _accountKey = JsonWebKey.Parse(Element(_account.PublicJwk()));
    }

    [OneTimeTearDown]
    public void DisposeKeys()
    {
        _account.Dispose();
        _otherAccount.Dispose();
    }

    [TestCase("HS256")]
    [TestCase("HS384")]
    [TestCase("HS512")]
    public void Verify_ValidBinding_ReturnsKid(string alg)
    {
        var eab = JwsBuilder.ExternalAccountBinding(alg, Kid, MacKey, _account, Url);

        var outcome = Verify(eab, Find(alg));

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
        Assert.That(outcome.Value, Is.EqualTo(Kid));
    }

    [TestCase("HS256")]
    [TestCase("HS512")]
    public void Verify_KeyAcceptingAnyAlgorithm_ReturnsKid(string alg)
    {
        var eab = JwsBuilder.ExternalAccountBinding(alg, Kid, MacKey, _account, Url);

        Assert.That(Verify(eab, Find(ExternalAccountKey.AnyAlgorithm)).Value, Is.EqualTo(Kid));
    }

    [Test]
    public void Verify_AlgorithmOtherThanStoredKeys_Unauthorized()
    {
        var eab = JwsBuilder.ExternalAccountBinding("HS512", Kid, MacKey, _account, Url);

        Assert.That(Verify(eab, Find("HS256")).Failure!.Kind, Is.EqualTo(FailureKind.Unauthorized));
    }

    [Test]
    public void Verify_WrongUrl_Unauthorized()
    {
        var eab = JwsBuilder.ExternalAccountBinding("HS256", Kid, MacKey, _account, "https://acme.test/acme/new-order");

        Assert.That(Verify(eab, Find("HS256")).Failure!.Kind, Is.EqualTo(FailureKind.Unauthorized));
    }

    [Test]
    public void Verify_UnknownKid_Unauthorized()
    {
        var eab = JwsBuilder.ExternalAccountBinding("HS256", "someone-else", MacKey, _account, Url);

        Assert.That(Verify(eab, Find("HS256")).Failure!.Kind, Is.EqualTo(FailureKind.Unauthorized));
    }

    [Test]
    public void Verify_WrongMacKey_Unauthorized()
    {
        var wrongKey = (byte[])MacKey.Clone();
        wrongKey[0] ^= 1;
        var eab = JwsBuilder.ExternalAccountBinding("HS256", Kid, wrongKey, _account, Url);

        Assert.That(Verify(eab, Find("HS256")).Failure!.Kind, Is.EqualTo(FailureKind.Unauthorized));
    }

    [Test]
    public void Verify_PayloadIsAnotherKey_Unauthorized()
    {
        var eab = JwsBuilder.ExternalAccountBinding("HS256", Kid, MacKey, _otherAccount, Url);

        Assert.That(Verify(eab, Find("HS256")).Failure!.Kind, Is.EqualTo(FailureKind.Unauthorized));
    }

    [Test]
    public void Verify_NonceInHeader_Malformed()
    {
        var header = new JsonObject { ["alg"] = "HS256", ["kid"] = Kid, ["url"] = Url, ["nonce"] = "bm9uY2U" };

        Assert.That(Verify(Signed(header, _account.PublicJwk().ToJsonString()), Find("HS256")).Failure!.Kind, Is.EqualTo(FailureKind.Malformed));
    }

    [Test]
    public void Verify_JwkInHeader_Malformed()
    {
        var header = new JsonObject { ["alg"] = "HS256", ["jwk"] = _account.PublicJwk(), ["url"] = Url };

        Assert.That(Verify(Signed(header, _account.PublicJwk().ToJsonString()), Find("HS256")).Failure!.Kind, Is.EqualTo(FailureKind.Malformed));
    }

    [Test]
    public void Verify_AsymmetricAlgorithm_Malformed()
    {
        var header = new JsonObject { ["alg"] = "ES256", ["kid"] = Kid, ["url"] = Url };
        var eab = JsonNode.Parse(JwsBuilder.Sign(_account, header, _account.PublicJwk().ToJsonString()))!.AsObject();

        Assert.That(Verify(eab, Find("HS256")).Failure!.Kind, Is.EqualTo(FailureKind.Malformed));
    }

    [TestCase("{}")]
    [TestCase("[]")]
    public void Verify_PayloadNotAJwk_Malformed(string payload)
    {
        var header = new JsonObject { ["alg"] = "HS256", ["kid"] = Kid, ["url"] = Url };

        Assert.That(Verify(Signed(header, payload), Find("HS256")).Failure!.Kind, Is.EqualTo(FailureKind.Malformed));
    }

    [Test]
    public void Verify_NotAnObject_Malformed()
    {
        var outcome = ExternalAccountBindingVerifier.Verify(Element("\"eab\""), Url, _accountKey, Find("HS256"));

        Assert.That(outcome.Failure!.Kind, Is.EqualTo(FailureKind.Malformed));
    }

    private static JsonObject Signed(JsonObject header, string payload) =>
        JsonNode.Parse(JwsBuilder.SignHmac("HS256", MacKey, header, payload))!.AsObject();

    private static Func<string, ExternalAccountKey?> Find(string storedAlgorithm) =>
        kid => kid == Kid ? new ExternalAccountKey(Kid, MacKey, storedAlgorithm) : null;

    private ValidationOutcome<string> Verify(JsonObject eab, Func<string, ExternalAccountKey?> find) =>
        ExternalAccountBindingVerifier.Verify(Element(eab.ToJsonString()), Url, _accountKey, find);

    private static JsonElement Element(JsonObject json) => Element(json.ToJsonString());

    private static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
