using System.Text.Json;
using System.Text.RegularExpressions;
using Acme.Tests.Integration.Crash;
using Acme.Tests.Support;

namespace Acme.Tests.Server.Observability;

/// <summary>
/// The console log of the real server process, started from an empty folder (no appsettings.json): ISO 8601
/// UTC timestamps, no per-request lines from ASP.NET Core unless configured, one JSON object a line with
/// <c>Logging:Console:FormatterName=json</c>.
/// </summary>
[Category("Integration")]
public sealed partial class ConsoleLogTests
{
    private const string RequestLine = "Request starting";
    private string _folder = null!;
    private ServerProcess? _server;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex Iso8601Utc();

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) info: Acme\.Server\.Endpoints\.AcmeProtocolMiddleware\[\d+\] GET /no-such-resource refused", RegexOptions.Multiline)]
    private static partial Regex SimpleRefusalLine();

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "acme-logs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void StopServer()
    {
        _server?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Starts the server, makes two requests, and returns its output once the second one's log line is there.</summary>
    private async Task<string> RunAsync(params string[] settings)
    {
        _server = await ServerProcess.StartAsync(Path.Combine(_folder, "data"), ServerProcess.FreePort(), ServerProcess.FreePort(), settings,
            TimeSpan.FromSeconds(60), workingDirectory: _folder);
        using var http = _server.CreateHttpClient();
        var baseUrl = _server.DirectoryUrl[..^"/directory".Length];
        (await http.GetAsync(_server.DirectoryUrl)).EnsureSuccessStatusCode();
        await http.GetAsync(baseUrl + "/no-such-resource"); // refused with 404: our own Information line, written after any request line before it

        Assert.That(await Eventually.HoldsAsync(() => Task.FromResult(_server.Output.Contains("/no-such-resource refused", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)),
            Is.True, _server.Output);
        return _server.Output;
    }

    [Test]
    public async Task Default_Iso8601UtcTimestamps_NoRequestLines()
    {
        var output = await RunAsync();
        var refusal = SimpleRefusalLine().Match(output);
        Assert.That(refusal.Success, Is.True, output);
        Assert.That(Iso8601Utc().IsMatch(refusal.Groups[1].Value), Is.True);
        Assert.That(output, Does.Not.Contain(RequestLine).And.Not.Contain("Microsoft.AspNetCore.Hosting.Diagnostics"), "request logging is at Warning by default");
    }

    [Test]
    public async Task Json_OneObjectPerLine_WithIso8601UtcTimestamp()
    {
        var output = await RunAsync("Logging:Console:FormatterName=json");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines, Is.Not.Empty);
        var categories = new List<string>();
        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            var timestamp = entry.RootElement.GetProperty("Timestamp").GetString()!;
            Assert.That(Iso8601Utc().IsMatch(timestamp), Is.True, $"timestamp {timestamp} in {line}");
            categories.Add(entry.RootElement.GetProperty("Category").GetString()!);
        }

        Assert.That(categories, Does.Contain("Acme.Server.Endpoints.AcmeProtocolMiddleware"));
        Assert.That(categories, Does.Not.Contain("Microsoft.AspNetCore.Hosting.Diagnostics"));
    }

    [Test]
    public async Task RequestLogging_Configured_OverridesOnlyThatDefault()
    {
        var output = await RunAsync("Logging:LogLevel:Microsoft.AspNetCore=Information");
        Assert.That(output, Does.Contain(RequestLine), "configuration still wins over the defaults in code");
        Assert.That(SimpleRefusalLine().IsMatch(output), Is.True, "the timestamp default still holds: " + output);
    }
}
