using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Acme.Bench.Protocol;

/// <summary>
/// One account on one server, used by one worker at a time: JWS requests signed with <c>kid</c> after
/// newAccount, the Replay-Nonce of every answer reused for the next request (RFC 8555 §7.2), newNonce only
/// when none is left, and badNonce answers retried with the fresh nonce they carry (RFC 8555 §6.5).
/// </summary>
public sealed class AcmeSession(HttpClient http, AcmeDirectory directory, RequestCounters counters) : IDisposable
{
    private const int MaxBadNonceRetries = 5;
    private const int MaxPolls = 2_000;
    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromMilliseconds(10);
    private string? _nonce;

    /// <summary>The account key.</summary>
    public AccountKey Key { get; } = new();

    /// <summary>The account URL (the JWS <c>kid</c>), once newAccount succeeded.</summary>
    public string? AccountUrl { get; private set; }

    /// <summary>The server's directory.</summary>
    public AcmeDirectory Directory => directory;

    /// <summary>newAccount with the public key in the header (RFC 8555 §7.3).</summary>
    public async Task CreateAccountAsync(CancellationToken ct)
    {
        var reply = await SendAsync(directory.NewAccount, new JsonObject { ["termsOfServiceAgreed"] = true }, useJwk: true, ct);
        if (!reply.IsSuccess || reply.Location is null)
        {
            throw new AcmeFailure("newAccount", reply.Describe());
        }

        AccountUrl = reply.Location;
    }

    /// <summary>A POST signed with the account's kid; <paramref name="payload"/> null is a POST-as-GET.</summary>
    public Task<AcmeReply> PostAsync(string url, JsonNode? payload, CancellationToken ct) =>
        SendAsync(url, payload, useJwk: false, ct);

    /// <summary>
    /// Polls <paramref name="url"/> with POST-as-GET until its status is <paramref name="wanted"/>; the first poll
    /// after 10 ms, then doubling up to <paramref name="maxInterval"/> (Retry-After is not waited for, so both
    /// servers are polled alike). <c>invalid</c> or an error answer fails the step.
    /// </summary>
    public async Task<AcmeReply> PollAsync(string url, string wanted, string step, TimeSpan maxInterval, CancellationToken ct)
    {
        var delay = FirstPollDelay < maxInterval ? FirstPollDelay : maxInterval;
        for (var i = 0; i < MaxPolls; i++)
        {
            await Task.Delay(delay, ct);
            counters.Poll();
            var reply = await PostAsync(url, null, ct);
            var status = reply.ResourceStatus;
            if (!reply.IsSuccess || status is null || status == "invalid")
            {
                throw new AcmeFailure(step, $"polling {url}: {reply.Describe()}");
            }

            if (status == wanted)
            {
                return reply;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, maxInterval.Ticks));
        }

        throw new AcmeFailure(step, $"{url} not {wanted} after {MaxPolls} polls");
    }

    /// <inheritdoc />
    public void Dispose() => Key.Dispose();

    private async Task<AcmeReply> SendAsync(string url, JsonNode? payload, bool useJwk, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var nonce = _nonce ?? await NewNonceAsync(ct);
            _nonce = null;
            var body = Key.Sign(url, nonce, useJwk ? null : AccountUrl ?? throw new InvalidOperationException("no account yet"), payload);
            using var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/jose+json");
            counters.Request();
            using var response = await http.PostAsync(url, content, ct);
            var reply = await ReadAsync(response, ct);
            if (reply.ProblemType != "urn:ietf:params:acme:error:badNonce" || attempt == MaxBadNonceRetries)
            {
                return reply;
            }

            counters.BadNonceRetry();
        }
    }

    private async Task<string> NewNonceAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, directory.NewNonce);
        counters.Request();
        using var response = await http.SendAsync(request, ct);
        return response.Headers.TryGetValues("Replay-Nonce", out var values) ? values.First()
            : throw new AcmeFailure("newNonce", $"HTTP {(int)response.StatusCode} without Replay-Nonce");
    }

    private async Task<AcmeReply> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.Headers.TryGetValues("Replay-Nonce", out var nonces))
        {
            _nonce = nonces.First();
        }

        return new AcmeReply(response.StatusCode, response.Headers.Location?.ToString(), body, response.Content.Headers.ContentType?.MediaType);
    }
}
