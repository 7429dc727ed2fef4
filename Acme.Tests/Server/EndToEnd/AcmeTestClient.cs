using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Acme.Tests.Support.Jose;
using Acme.Validation.Codecs;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// A small ACME client for the integration tests: directory, nonces (with one badNonce retry, as
/// RFC 8555 §6.5 asks of clients), JWS signing with <c>jwk</c> or <c>kid</c>, and raw access for
/// negative tests.
/// </summary>
public sealed class AcmeTestClient(HttpClient http, string directoryUrl, TestAccountKey key)
{
    private string? _nonce;

    public TestAccountKey Key { get; private set; } = key;

    public string? AccountUrl { get; set; }

    public JsonObject Directory { get; private set; } = new();

    public string Url(string name) => Directory[name]!.GetValue<string>();

    public async Task InitializeAsync()
    {
        var response = await http.GetAsync(directoryUrl);
        Directory = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    public async Task<string> FreshNonceAsync()
    {
        if (_nonce is { } cached)
        {
            _nonce = null;
            return cached;
        }

        using var request = new HttpRequestMessage(HttpMethod.Head, Url("newNonce"));
        using var response = await http.SendAsync(request);
        return response.Headers.GetValues("Replay-Nonce").First();
    }

    /// <summary>POST a signed request; <paramref name="payload"/> null means POST-as-GET.</summary>
    public async Task<AcmeResponse> PostAsync(string url, JsonNode? payload, bool useJwk = false)
    {
        var response = await PostOnceAsync(url, payload, useJwk);
        if (response.ProblemType == "urn:ietf:params:acme:error:badNonce")
        {
            response = await PostOnceAsync(url, payload, useJwk);
        }

        return response;
    }

    public Task<AcmeResponse> PostAsGetAsync(string url) => PostAsync(url, null);

    /// <summary>Signs with exactly the given header (for negative tests); no retry.</summary>
    public Task<AcmeResponse> PostSignedAsync(string url, JsonObject header, string payload) =>
        PostRawAsync(url, JwsBuilder.Sign(Key, header, payload));

    public async Task<AcmeResponse> PostRawAsync(string url, string body, string contentType = "application/jose+json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await http.PostAsync(url, content);
        return await ReadAsync(response);
    }

    /// <summary>POSTs exactly <paramref name="body"/> (which need not be UTF-8).</summary>
    public async Task<AcmeResponse> PostBytesAsync(string url, byte[] body, string contentType = "application/jose+json")
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await http.PostAsync(url, content);
        return await ReadAsync(response);
    }

    public async Task<AcmeResponse> GetAsync(string url)
    {
        using var response = await http.GetAsync(url);
        return await ReadAsync(response);
    }

    public JsonObject Header(string url, string nonce, bool useJwk) =>
        JwsBuilder.Header(Key, url, nonce, useJwk ? null : AccountUrl);

    public async Task<AcmeResponse> NewAccountAsync(JsonObject? payload = null)
    {
        var response = await PostAsync(Url("newAccount"), payload ?? new JsonObject { ["termsOfServiceAgreed"] = true }, useJwk: true);
        if ((int)response.Status is 200 or 201)
        {
            AccountUrl = response.Location;
        }

        return response;
    }

    public Task<AcmeResponse> NewOrderAsync(params string[] mailboxes) =>
        PostAsync(Url("newOrder"), new JsonObject
        {
            ["identifiers"] = new JsonArray(mailboxes.Select(m => (JsonNode)new JsonObject { ["type"] = "email", ["value"] = m }).ToArray()),
        });

    public Task<AcmeResponse> FinalizeAsync(string finalizeUrl, byte[] csrDer) =>
        PostAsync(finalizeUrl, new JsonObject { ["csr"] = StrictBase64Url.Encode(csrDer) });

    public void ReplaceKey(TestAccountKey newKey) => Key = newKey;

    private async Task<AcmeResponse> PostOnceAsync(string url, JsonNode? payload, bool useJwk)
    {
        var header = Header(url, await FreshNonceAsync(), useJwk);
        return await PostRawAsync(url, JwsBuilder.Sign(Key, header, payload?.ToJsonString() ?? string.Empty));
    }

    private async Task<AcmeResponse> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.Headers.TryGetValues("Replay-Nonce", out var nonces))
        {
            _nonce = nonces.First();
        }

        return new AcmeResponse(response.StatusCode, body, response.Headers, response.Content.Headers.ContentType?.ToString());
    }
}
