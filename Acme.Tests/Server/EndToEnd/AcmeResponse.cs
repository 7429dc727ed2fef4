using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>What a test needs of one HTTP exchange.</summary>
public sealed record AcmeResponse(HttpStatusCode Status, string Body, HttpResponseHeaders Headers, string? ContentType)
{
    public JsonNode? Json => Body.Length > 0 && ContentType is not null && ContentType.Contains("json") ? JsonNode.Parse(Body) : null;

    public string? Location => Headers.Location?.ToString();

    public string? ProblemType => Json?["type"]?.GetValue<string>();

    public string? Nonce => Headers.TryGetValues("Replay-Nonce", out var v) ? v.First() : null;

    public IEnumerable<string> Links => Headers.TryGetValues("Link", out var v) ? v : [];

    public override string ToString() => $"{(int)Status} {ContentType}: {Body}";
}
