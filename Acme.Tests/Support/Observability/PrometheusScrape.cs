using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Acme.Tests.Support.Observability;

/// <summary>One scrape of <c>/metrics</c>: each sample line <c>name{labels} value</c> by its series text.</summary>
public sealed class PrometheusScrape
{
    private readonly Dictionary<string, double> _samples;

    private PrometheusScrape(string text, Dictionary<string, double> samples)
    {
        Text = text;
        _samples = samples;
    }

    public string Text { get; }

    public static async Task<PrometheusScrape> FetchAsync(HttpClient http, string url, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
        return Parse(text);
    }

    public static PrometheusScrape Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            samples[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }

        return new PrometheusScrape(text, samples);
    }

    /// <summary>The value of one series, written as exported (labels in declaration order); 0 when absent.</summary>
    public double this[string series] => _samples.TryGetValue(series, out var value) ? value : 0;

    /// <summary>The sum over every series of <paramref name="name"/> whose labels contain all of <paramref name="labels"/> (<c>key="value"</c>).</summary>
    public double Sum(string name, params string[] labels) =>
        _samples.Where(s => (s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal)) && labels.All(l => s.Key.Contains(l, StringComparison.Ordinal)))
            .Sum(s => s.Value);
}
