using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Every error answer of the listener is an ACME problem document (issue 9, item 6): wrong methods
/// with the resource's real Allow, over-long targets and header blocks, oversized bodies, and the
/// public CRL and CA certificate paths; over HTTP/1.1 and HTTP/2.
/// </summary>
public sealed class ProblemDocumentTests : EndToEndTestBase
{
    private static readonly Version[] Versions = [HttpVersion.Version11, HttpVersion.Version20];

    [TestCase("POST", "/directory", "GET, HEAD")]
    [TestCase("DELETE", "/new-nonce", "GET, HEAD")]
    [TestCase("PUT", "/new-order", "POST")]
    [TestCase("OPTIONS", "/new-account", "POST")]
    [TestCase("PATCH", "/acct/AAAAAAAAAAAAAAAAAAAAAA", "POST")]
    [TestCase("PUT", "/order/AAAAAAAAAAAAAAAAAAAAAA/finalize", "POST")]
    [TestCase("DELETE", "/renewal-info/abc.def", "GET, HEAD")]
    public async Task WrongMethod_405ProblemWithTheResourcesAllow(string method, string path, string allow)
    {
        foreach (var version in Versions)
        {
            using var response = await SendAsync(new HttpMethod(method), Server.Urls.Base + path, version);

            await AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed, expectNonce: true, hasBody: method != "HEAD");
            Assert.That(string.Join(", ", response.Content.Headers.Allow), Is.EqualTo(allow), $"{method} {path} over HTTP/{version}");
        }
    }

    [TestCase("/directory")]
    [TestCase("/renewal-info/abc.def")]
    public async Task Head_AllowedWhereGetIs(string path)
    {
        foreach (var version in Versions)
        {
            using var get = await SendAsync(HttpMethod.Get, Server.Urls.Base + path, version);
            using var head = await SendAsync(HttpMethod.Head, Server.Urls.Base + path, version);

            Assert.That(head.StatusCode, Is.EqualTo(get.StatusCode), $"HEAD {path} over HTTP/{version}");
            Assert.That(head.Content.Headers.ContentType?.MediaType, Is.EqualTo(get.Content.Headers.ContentType?.MediaType));
        }
    }

    [Test]
    public async Task LongRequestTarget_414Problem()
    {
        foreach (var version in Versions)
        {
            using var response = await SendAsync(HttpMethod.Get, Server.Urls.Base + "/" + new string('a', 10_000), version);

            var problem = await AssertProblemAsync(response, HttpStatusCode.RequestUriTooLong, expectNonce: true);
            Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("at most 8192"));
        }
    }

    [Test]
    public async Task LargeHeaderBlock_431Problem()
    {
        foreach (var version in Versions)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Server.DirectoryUrl) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            request.Headers.TryAddWithoutValidation("X-Large", new string('a', 40_000));
            using var response = await Http.SendAsync(request);

            var problem = await AssertProblemAsync(response, (HttpStatusCode)431, expectNonce: true);
            Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("at most 32768"));
        }
    }

    [Test]
    public async Task ManyHeaderFields_431Problem()
    {
        foreach (var version in Versions)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Server.DirectoryUrl) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            for (var i = 0; i < 150; i++)
            {
                request.Headers.TryAddWithoutValidation($"X-Field-{i}", "1");
            }

            using var response = await Http.SendAsync(request);

            var problem = await AssertProblemAsync(response, (HttpStatusCode)431, expectNonce: true);
            Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("at most 100"));
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task OversizedJwsBody_413ProblemNamingTheLimit(bool declaredLength)
    {
        var client = await ClientAsync(register: false);
        foreach (var version in Versions)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, client.Url("newOrder")) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            request.Content = declaredLength ? new ByteArrayContent(new byte[300_000]) : new StreamContent(new MemoryStream(new byte[300_000]));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/jose+json");
            if (!declaredLength)
            {
                request.Headers.TransferEncodingChunked = version == HttpVersion.Version11;
            }

            using var response = await Http.SendAsync(request);

            var problem = await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, expectNonce: true);
            Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("262144 bytes"));
        }
    }

    [TestCase("POST", "/crl/issuing.crl", HttpStatusCode.MethodNotAllowed)]
    [TestCase("PUT", "/ca/issuing.cer", HttpStatusCode.MethodNotAllowed)]
    [TestCase("GET", "/crl/other.crl", HttpStatusCode.NotFound)]
    public async Task PublicPkiPaths_ProblemDocumentsWithoutNonce(string method, string path, HttpStatusCode status)
    {
        using var response = await SendAsync(new HttpMethod(method), Server.Urls.HttpBase + path, HttpVersion.Version11);

        await AssertProblemAsync(response, status, expectNonce: false);
        if (status == HttpStatusCode.MethodNotAllowed)
        {
            Assert.That(string.Join(", ", response.Content.Headers.Allow), Is.EqualTo("GET, HEAD"));
        }
    }

    [Test]
    public async Task PublicPkiPaths_HeadAnswersLikeGet()
    {
        using var response = await SendAsync(HttpMethod.Head, Server.Urls.CaIssuersUrl, HttpVersion.Version11);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/pkix-cert"));
    }

    [Test]
    public async Task NonAsciiHeaderOctets_ReachTheApplication()
    {
        // RFC 9110 §5.5: obs-text is opaque field content; Kestrel would answer 400 with no body.
        var request = System.Text.Encoding.Latin1.GetBytes("GET /directory HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Name: caf\u00e9 \u00ff\r\nConnection: close\r\n\r\n");
        var response = await RawHttpExchange.SendAsync(new Uri(Server.Urls.Base), request);

        Assert.That(response.Status, Is.EqualTo(200), response.ToString());
        Assert.That(response.Header("Content-Type"), Does.StartWith("application/json"));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, Version version)
    {
        using var request = new HttpRequestMessage(method, url) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        return await Http.SendAsync(request);
    }

    private static async Task<JsonNode> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, bool expectNonce, bool hasBody = true)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), $"{(int)response.StatusCode}: {body}");
        Assert.That(response.Headers.Contains("Replay-Nonce"), Is.EqualTo(expectNonce), "RFC 8555 §6.5: Replay-Nonce on ACME error responses");
        if (!hasBody)
        {
            return new JsonObject();
        }

        var problem = JsonNode.Parse(body)!;
        Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("urn:ietf:params:acme:error:malformed"));
        Assert.That(problem["status"]!.GetValue<int>(), Is.EqualTo((int)status));
        Assert.That(problem["detail"]!.GetValue<string>(), Is.Not.Empty);
        return problem;
    }
}
