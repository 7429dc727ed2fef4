using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Acme.Tests.Support.Jose;
using Acme.Validation.Codecs;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>Every request-level refusal of RFC 8555 §6, each with its problem type, over HTTPS.</summary>
public sealed class JwsRefusalTests : EndToEndTestBase
{
    private static string B64(string text) => StrictBase64Url.Encode(Encoding.UTF8.GetBytes(text));

    [Test]
    public async Task Directory_HasResourcesAndMeta_NoIndexLink()
    {
        var client = await ClientAsync(register: false);
        var response = await client.GetAsync(Server.DirectoryUrl);
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK));
        foreach (var name in new[] { "newNonce", "newAccount", "newOrder", "revokeCert", "keyChange" })
        {
            Assert.That(response.Json![name]!.GetValue<string>(), Does.StartWith(Server.Urls.Base));
        }

        Assert.That(response.Json!["meta"]!["profiles"]!["smime-mailbox-strict"], Is.Not.Null);
        Assert.That(response.Json["meta"]!["externalAccountRequired"]!.GetValue<bool>(), Is.False);
        Assert.That(response.Nonce, Is.Not.Null);
    }

    [Test]
    public async Task NewNonce_HeadAndGet_StatusAndNoStore()
    {
        var client = await ClientAsync(register: false);
        using var head = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, client.Url("newNonce")));
        using var get = await Http.GetAsync(client.Url("newNonce"));
        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        foreach (var r in new[] { head, get })
        {
            Assert.That(r.Headers.CacheControl?.NoStore, Is.True);
            Assert.That(r.Headers.GetValues("Replay-Nonce").Single(), Does.Match("^[A-Za-z0-9_-]+$"));
            Assert.That(r.Headers.GetValues("Link"), Has.Some.Contains("rel=\"index\""));
        }
    }

    [Test]
    public async Task Get_OnPostOnlyResource_405Malformed()
    {
        var client = await ClientAsync(register: false);
        AssertProblem(await client.GetAsync(client.Url("newOrder")), HttpStatusCode.MethodNotAllowed, "malformed");
        AssertProblem(await client.GetAsync(Server.Urls.Order("AAAAAAAAAAAAAAAAAAAAAA")), HttpStatusCode.MethodNotAllowed, "malformed");
    }

    [Test]
    public async Task Post_WrongContentType_415()
    {
        var client = await ClientAsync(register: false);
        var body = JwsBuilder.Sign(client.Key, client.Header(client.Url("newAccount"), await client.FreshNonceAsync(), true), "{}");
        AssertProblem(await client.PostRawAsync(client.Url("newAccount"), body, "application/json"), HttpStatusCode.UnsupportedMediaType, "malformed");
    }

    [TestCase("none")]
    [TestCase("HS256")]
    [TestCase("RS1")]
    public async Task Post_RefusedAlgorithm_BadSignatureAlgorithmListsAccepted(string alg)
    {
        var client = await ClientAsync(register: false);
        var header = client.Header(client.Url("newAccount"), await client.FreshNonceAsync(), true);
        header["alg"] = alg;
        var response = await client.PostSignedAsync(client.Url("newAccount"), header, "{}");
        AssertProblem(response, HttpStatusCode.BadRequest, "badSignatureAlgorithm");
        Assert.That(response.Json!["algorithms"]!.AsArray().Select(a => a!.GetValue<string>()), Does.Contain("ES256").And.Contain("EdDSA"));
    }

    [Test]
    public async Task Post_UnprotectedHeader_Malformed()
    {
        var client = await ClientAsync(register: false);
        var signed = JsonNode.Parse(JwsBuilder.Sign(client.Key, client.Header(client.Url("newAccount"), await client.FreshNonceAsync(), true), "{}"))!.AsObject();
        signed["header"] = new JsonObject { ["kid"] = "x" };
        AssertProblem(await client.PostRawAsync(client.Url("newAccount"), signed.ToJsonString()), HttpStatusCode.BadRequest, "malformed");
    }

    [Test]
    public async Task Post_JwkAndKid_Malformed()
    {
        var client = await ClientAsync();
        var header = JwsBuilder.Header(client.Key, client.Url("newOrder"), await client.FreshNonceAsync(), null);
        header["kid"] = client.AccountUrl;
        AssertProblem(await client.PostSignedAsync(client.Url("newOrder"), header, "{}"), HttpStatusCode.BadRequest, "malformed");
    }

    [Test]
    public async Task Post_JwkWhereKidRequired_Malformed()
    {
        var client = await ClientAsync();
        var header = JwsBuilder.Header(client.Key, client.Url("newOrder"), await client.FreshNonceAsync(), null);
        AssertProblem(await client.PostSignedAsync(client.Url("newOrder"), header, "{}"), HttpStatusCode.BadRequest, "malformed");
    }

    [Test]
    public async Task Post_UrlDiffersFromRequest_Unauthorized()
    {
        var client = await ClientAsync();
        var header = client.Header(client.Url("newOrder") + "?x=1", await client.FreshNonceAsync(), false);
        AssertProblem(await client.PostSignedAsync(client.Url("newOrder"), header, "{}"), HttpStatusCode.Forbidden, "unauthorized");
    }

    [Test]
    public async Task Post_UsedNonce_BadNonceWithFreshNonce()
    {
        var client = await ClientAsync(register: false);
        var nonce = await client.FreshNonceAsync();
        var first = await client.PostSignedAsync(client.Url("newAccount"), client.Header(client.Url("newAccount"), nonce, true), "{\"termsOfServiceAgreed\":true}");
        Assert.That(first.Status, Is.EqualTo(HttpStatusCode.Created));
        var replay = await client.PostSignedAsync(client.Url("newAccount"), client.Header(client.Url("newAccount"), nonce, true), "{\"termsOfServiceAgreed\":true}");
        AssertProblem(replay, HttpStatusCode.BadRequest, "badNonce");
        Assert.That(replay.Nonce, Is.Not.EqualTo(nonce));
    }

    [Test]
    public async Task Post_UnknownNonce_BadNonce()
    {
        var client = await ClientAsync(register: false);
        var response = await client.PostSignedAsync(client.Url("newAccount"), client.Header(client.Url("newAccount"), "bm90LWlzc3VlZA", true), "{}");
        AssertProblem(response, HttpStatusCode.BadRequest, "badNonce");
    }

    [Test]
    public async Task Post_PaddedBase64Url_Malformed()
    {
        var client = await ClientAsync(register: false);
        var signed = JsonNode.Parse(JwsBuilder.Sign(client.Key, client.Header(client.Url("newAccount"), await client.FreshNonceAsync(), true), "{}"))!.AsObject();
        signed["payload"] = signed["payload"]!.GetValue<string>() + "=";
        AssertProblem(await client.PostRawAsync(client.Url("newAccount"), signed.ToJsonString()), HttpStatusCode.BadRequest, "malformed");
    }

    [Test]
    public async Task Post_BadSignature_Malformed()
    {
        var client = await ClientAsync();
        var signed = JsonNode.Parse(JwsBuilder.Sign(client.Key, client.Header(client.Url("newOrder"), await client.FreshNonceAsync(), false), "{}"))!.AsObject();
        signed["payload"] = B64("{\"identifiers\":[]}");
        AssertProblem(await client.PostRawAsync(client.Url("newOrder"), signed.ToJsonString()), HttpStatusCode.BadRequest, "malformed");
    }

    [Test]
    public async Task Post_CompactSerialization_Malformed()
    {
        var client = await ClientAsync(register: false);
        var signed = JsonNode.Parse(JwsBuilder.Sign(client.Key, client.Header(client.Url("newAccount"), await client.FreshNonceAsync(), true), "{}"))!;
        var compact = $"{signed["protected"]}.{signed["payload"]}.{signed["signature"]}";
        AssertProblem(await client.PostRawAsync(client.Url("newAccount"), compact), HttpStatusCode.BadRequest, "malformed");
    }

    [Test]
    public async Task Post_UnknownAccountKid_AccountDoesNotExist()
    {
        var client = await ClientAsync(register: false);
        client.AccountUrl = Server.Urls.Account("AAAAAAAAAAAAAAAAAAAAAA");
        AssertProblem(await client.NewOrderAsync("a@users.example.test"), HttpStatusCode.BadRequest, "accountDoesNotExist");
    }

    [Test]
    public async Task UnknownPath_404Problem()
    {
        var client = await ClientAsync(register: false);
        AssertProblem(await client.GetAsync(Server.Urls.Base + "/nothing-here"), HttpStatusCode.NotFound, "malformed");
    }
}
