using System.Net;
using System.Text;
using Acme.Tests.Support.Jose;
using Acme.Tests.Support.Logging;
using Acme.Validation.Codecs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Invalid UTF-8 and unpaired surrogate escapes in any JSON of a request are <c>400 malformed</c>,
/// logged at Information with no stack trace (issue 9, item 5), not <c>500 serverInternal</c>.
/// </summary>
public sealed class InvalidUtf8Tests : EndToEndTestBase
{
    private static readonly byte[] BrokenUtf8 = [0xC3, 0x28];

    private readonly CapturingLoggerProvider _logs = new();

    protected override string[] Settings => ["Logging:LogLevel:Acme.Server.Endpoints.AcmeProtocolMiddleware=Information"];

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(_logs);

    private static byte[] Bytes(params object[] parts) =>
        [.. parts.SelectMany(p => p is string text ? Encoding.UTF8.GetBytes(text) : (byte[])p)];

    [Test]
    public async Task OuterJwsObject_RawInvalidUtf8_400Malformed()
    {
        var client = await ClientAsync(register: false);
        var body = Bytes("{\"protected\":\"", BrokenUtf8, "\",\"payload\":\"\",\"signature\":\"AA\"}");

        var response = await client.PostBytesAsync(client.Url("newAccount"), body);

        AssertProblem(response, HttpStatusCode.BadRequest, "malformed");
        Assert.That(response.Json!["detail"]!.GetValue<string>(), Does.StartWith("the request body is not valid UTF-8 JSON:"));
        AssertLoggedAsRefusal("the request body is not valid UTF-8 JSON");
    }

    [Test]
    public async Task ProtectedHeader_UnpairedSurrogateInKid_400Malformed()
    {
        var client = await ClientAsync(register: false);
        var header = Encoding.UTF8.GetBytes(
            $"{{\"alg\":\"ES256\",\"nonce\":\"{await client.FreshNonceAsync()}\",\"url\":\"{client.Url("newOrder")}\",\"kid\":\"acct-\\ud800\"}}");

        var response = await client.PostRawAsync(client.Url("newOrder"), JwsBuilder.SignRaw(client.Key, header, "{}"u8.ToArray()));

        AssertProblem(response, HttpStatusCode.BadRequest, "malformed");
        Assert.That(response.Json!["detail"]!.GetValue<string>(), Does.StartWith("the protected header is not valid UTF-8 JSON:").And.Contains("$.kid"));
        AssertLoggedAsRefusal("the protected header is not valid UTF-8 JSON");
    }

    [Test]
    public async Task Payload_RawInvalidUtf8InContact_400Malformed()
    {
        var client = await ClientAsync(register: false);
        var url = client.Url("newAccount");
        var header = client.Header(url, await client.FreshNonceAsync(), useJwk: true);
        var payload = Bytes("{\"termsOfServiceAgreed\":true,\"contact\":[\"mailto:a", BrokenUtf8, "@example.org\"]}");

        var response = await client.PostRawAsync(url, JwsBuilder.SignRaw(client.Key, Encoding.UTF8.GetBytes(header.ToJsonString()), payload));

        AssertProblem(response, HttpStatusCode.BadRequest, "malformed");
        Assert.That(response.Json!["detail"]!.GetValue<string>(), Does.StartWith("the JWS payload is not valid UTF-8 JSON:"));
        AssertLoggedAsRefusal("the JWS payload is not valid UTF-8 JSON");
    }

    [Test]
    public async Task Payload_UnpairedSurrogateInMemberName_400Malformed()
    {
        var client = await ClientAsync();
        var url = client.Url("newOrder");
        var header = client.Header(url, await client.FreshNonceAsync(), useJwk: false);
        var payload = "{\"\\udc00\":1,\"identifiers\":[{\"type\":\"email\",\"value\":\"a@example.org\"}]}"u8.ToArray();

        var response = await client.PostRawAsync(url, JwsBuilder.SignRaw(client.Key, Encoding.UTF8.GetBytes(header.ToJsonString()), payload));

        AssertProblem(response, HttpStatusCode.BadRequest, "malformed");
        AssertLoggedAsRefusal("the JWS payload is not valid UTF-8 JSON");
    }

    [Test]
    public async Task ExternalAccountBinding_UnpairedSurrogateInKid_400Malformed()
    {
        var client = await ClientAsync(register: false);
        var url = client.Url("newAccount");
        var eabHeader = StrictBase64Url.Encode(Encoding.UTF8.GetBytes($"{{\"alg\":\"HS256\",\"kid\":\"\\ud800\",\"url\":\"{url}\"}}"));
        var eab = $"{{\"protected\":\"{eabHeader}\",\"payload\":\"{StrictBase64Url.Encode(Encoding.UTF8.GetBytes(client.Key.PublicJwk().ToJsonString()))}\",\"signature\":\"AAAA\"}}";
        var payload = Encoding.UTF8.GetBytes($"{{\"termsOfServiceAgreed\":true,\"externalAccountBinding\":{eab}}}");
        var header = client.Header(url, await client.FreshNonceAsync(), useJwk: true);

        var response = await client.PostRawAsync(url, JwsBuilder.SignRaw(client.Key, Encoding.UTF8.GetBytes(header.ToJsonString()), payload));

        AssertProblem(response, HttpStatusCode.BadRequest, "malformed");
        Assert.That(response.Json!["detail"]!.GetValue<string>(), Does.Contain("the protected header is not valid UTF-8 JSON"));
        AssertLoggedAsRefusal("not valid UTF-8 JSON");
    }

    private void AssertLoggedAsRefusal(string detail)
    {
        var entries = _logs.Entries.ToList();
        Assert.That(entries.Where(e => e.Level >= LogLevel.Error || e.Exception is not null), Is.Empty, "no error-level entry, no stack trace");
        Assert.That(entries.Where(e => e.Level == LogLevel.Information && e.Message.Contains(detail, StringComparison.Ordinal)), Is.Not.Empty,
            string.Join(Environment.NewLine, entries.Select(e => $"{e.Level} {e.Category}: {e.Message}")));
    }
}
