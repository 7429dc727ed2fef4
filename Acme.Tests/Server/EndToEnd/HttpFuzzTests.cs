using System.Net.Http.Headers;
using System.Text;
using Acme.Tests.Support.Fuzzing;
using Acme.Tests.Support.Jose;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Property over the real server on loopback HTTPS: no generated request (hostile JWS, payload,
/// CSR, certificate, path, query or content type) is answered with a 5xx (issue 9, item 5), and
/// every error answer is a problem document (item 6).
/// Most inputs carry a fresh nonce, the right url and a valid signature, so they reach the payload
/// code of every resource. Seeded and bounded; a failure prints the seed that replays it.
/// </summary>
[Category("Fuzz")]
public sealed class HttpFuzzTests : EndToEndTestBase
{
    private const ulong Seed = 0x5EED_0004;
    private const int Iterations = 1500;

    private readonly Queue<string> _nonces = new();
    private readonly Dictionary<string, int> _outcomes = new(StringComparer.Ordinal);

    [Test]
    public async Task AnyRequest_No5xxAndEveryErrorIsAProblem()
    {
        var client = await ClientAsync();
        var (world, key) = await PrepareWorldAsync(client);

        await FuzzRunner.RunAsync(HttpFuzzCase.Generator(world), async fuzzCase =>
        {
            var url = fuzzCase.Url(world);
            var body = fuzzCase.Recipe.Build(new JwsContext(key, await NonceAsync(client), url, world.Account, fuzzCase.UseJwk));
            using var content = new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", fuzzCase.ContentType);
            using var request = new HttpRequestMessage(fuzzCase.Method, url);
            if (fuzzCase.Method != HttpMethod.Get && fuzzCase.Method != HttpMethod.Head)
            {
                request.Content = content;
            }

            using var response = await Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.Headers.TryGetValues("Replay-Nonce", out var nonces))
            {
                _nonces.Enqueue(nonces.First());
            }

            Record(response, text);
            Assert.That((int)response.StatusCode, Is.LessThan(500), $"{(int)response.StatusCode} {response.Content.Headers.ContentType}: {text}");
            if (!response.IsSuccessStatusCode && !RejectedByKestrel(url))
            {
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), $"{(int)response.StatusCode}: {text}");
            }
        }, Iterations, Seed, print: c => c.ToString());

        TestContext.Out.WriteLine($"{Iterations} requests; outcomes: {string.Join(", ", _outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} ×{o.Value}"))}");
    }

    /// <summary>Kestrel refuses a NUL octet in the path before the application runs, with an empty 400 (docs/http-errors.md).</summary>
    private static bool RejectedByKestrel(string url) => new Uri(url).AbsolutePath.Contains("%00", StringComparison.Ordinal);

    private void Record(HttpResponseMessage response, string text)
    {
        var type = response.Content.Headers.ContentType?.MediaType == "application/problem+json" && text.Length > 0
            ? System.Text.Json.Nodes.JsonNode.Parse(text)?["type"]?.GetValue<string>()?.Replace("urn:ietf:params:acme:error:", string.Empty, StringComparison.Ordinal)
            : null;
        var key = $"{(int)response.StatusCode}{(type is null ? string.Empty : " " + type)}";
        _outcomes[key] = _outcomes.GetValueOrDefault(key) + 1;
    }

    private async Task<string> NonceAsync(AcmeTestClient client) =>
        _nonces.TryDequeue(out var nonce) ? nonce : await client.FreshNonceAsync();

    /// <summary>A ready order (for finalize), its authorization and challenge, and an issued certificate (for revokeCert).</summary>
    private async Task<(FuzzWorld World, TestAccountKey Key)> PrepareWorldAsync(AcmeTestClient client)
    {
        var issued = await FinalizeAsync(client, await ReadyOrderAsync(client, "issued@example.org"), Csr("p256", "issued@example.org"));
        var certificateUrl = issued["certificate"]!.GetValue<string>();
        var chain = (await client.PostAsGetAsync(certificateUrl)).Body;
        var certificateDer = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(Encoding.ASCII.GetBytes(chain)).GetEncoded();

        var ready = await ReadyOrderAsync(client, "ready@example.org");
        var authorization = ready["authorizations"]![0]!.GetValue<string>();
        var challenge = (await client.PostAsGetAsync(authorization)).Json!["challenges"]![0]!["url"]!.GetValue<string>();
        var world = new FuzzWorld(
            client.Url("newAccount"), client.Url("newOrder"), client.AccountUrl!, client.Url("keyChange"), ready["url"]!.GetValue<string>(),
            ready["finalize"]!.GetValue<string>(), authorization, challenge, certificateUrl, client.Url("revokeCert"), client.Url("renewalInfo"),
            Csr("p256", "ready@example.org"), certificateDer);
        return (world, client.Key);
    }
}
