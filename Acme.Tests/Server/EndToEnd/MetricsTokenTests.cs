using System.Net;
using System.Net.Http.Headers;
using Acme.Tests.Support.Observability;

namespace Acme.Tests.Server.EndToEnd;

/// <summary><c>Metrics:BearerTokenFile</c>: without exactly that token, <c>/metrics</c> answers 401 and shows nothing.</summary>
public sealed class MetricsTokenTests : EndToEndTestBase
{
    private const string Token = "s3cret-scrape-token";
    private readonly string _tokenFile = Path.Combine(Path.GetTempPath(), "acme-metrics-token-" + Guid.NewGuid().ToString("N"));

    protected override string[] Settings
    {
        get
        {
            File.WriteAllText(_tokenFile, Token + "\n");
            return [$"Metrics:BearerTokenFile={_tokenFile}"];
        }
    }

    [TearDown]
    public void DeleteTokenFile() => File.Delete(_tokenFile);

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Server.Urls.Base + "/metrics");
        request.Headers.Authorization = authorization;
        var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Test]
    public async Task NoToken_401WithoutMetricsOrProblemDocument()
    {
        var (status, body, response) = await GetAsync(null);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
        Assert.That(body, Does.Not.Contain("acme_"));
        Assert.That(response.Headers.Contains("Replay-Nonce"), Is.False);
    }

    [TestCase("Bearer", "wrong-token")]
    [TestCase("Bearer", Token + "x")]
    [TestCase("Basic", Token)]
    public async Task WrongToken_401(string scheme, string value) =>
        Assert.That((await GetAsync(new AuthenticationHeaderValue(scheme, value))).Status, Is.EqualTo(HttpStatusCode.Unauthorized));

    [Test]
    public async Task RightToken_Metrics()
    {
        var scrape = await PrometheusScrape.FetchAsync(Http, Server.Urls.Base + "/metrics", Token);
        Assert.That(scrape.Text, Does.Contain("# TYPE acme_nonces_issued_total counter"));
        Assert.That(scrape.Sum("acme_http_request_duration_seconds_count", "endpoint=\"/metrics\"", "status=\"401\""), Is.Zero, "this test made no refused scrape");
    }
}
