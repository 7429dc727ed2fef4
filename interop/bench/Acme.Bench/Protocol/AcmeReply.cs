using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Acme.Bench.Protocol;

/// <summary>One HTTP answer of an ACME server: status, Location, body, and the JSON body when there is one.</summary>
public sealed record AcmeReply(HttpStatusCode Status, string? Location, string Body, string? ContentType)
{
    /// <summary>The body as JSON, or null when it is not JSON.</summary>
    public JsonNode? Json { get; } = ParseJson(Body, ContentType);

    /// <summary>The problem type of an error document, or null.</summary>
    public string? ProblemType => (int)Status >= 400 ? Json?["type"]?.GetValue<string>() : null;

    /// <summary>The <c>status</c> member of a resource, or null.</summary>
    public string? ResourceStatus => Json?["status"]?.GetValue<string>();

    /// <summary>True for a 2xx answer.</summary>
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>A short description for error messages.</summary>
    public string Describe() => $"HTTP {(int)Status}: {(Body.Length > 400 ? Body[..400] + "..." : Body)}";

    private static JsonNode? ParseJson(string body, string? contentType)
    {
        if (contentType is null || !contentType.Contains("json", StringComparison.OrdinalIgnoreCase) || body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
