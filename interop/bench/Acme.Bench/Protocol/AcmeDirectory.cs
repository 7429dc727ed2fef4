using System.Text.Json.Nodes;

namespace Acme.Bench.Protocol;

/// <summary>The directory URLs the benchmark uses (RFC 8555 §7.1.1).</summary>
public sealed record AcmeDirectory(string NewNonce, string NewAccount, string NewOrder)
{
    /// <summary>Fetches and reads the directory.</summary>
    public static async Task<AcmeDirectory> LoadAsync(HttpClient http, string url, CancellationToken ct)
    {
        using var response = await http.GetAsync(url, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new AcmeFailure("directory", $"GET {url}: HTTP {(int)response.StatusCode}");
        }

        var json = JsonNode.Parse(body)?.AsObject() ?? throw new AcmeFailure("directory", "not a JSON object");
        string Url(string name) => json[name]?.GetValue<string>() ?? throw new AcmeFailure("directory", $"no {name}");
        return new AcmeDirectory(Url("newNonce"), Url("newAccount"), Url("newOrder"));
    }
}
