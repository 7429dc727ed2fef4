using Acme.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>The Metrics and Health sections are checked at start-up; each message names its setting.</summary>
[Category("Integration")]
public sealed class ObservabilityOptionsTests
{
    private static async Task<OptionsValidationException> StartFailsAsync(params string[] settings)
    {
        var data = Path.Combine(Path.GetTempPath(), "acme-options-" + Guid.NewGuid().ToString("N"));
        var app = AcmeServerHost.Build(["--urls", "http://127.0.0.1:0", $"--Acme:DataDirectory={data}", "--Logging:LogLevel:Default=Warning", .. settings.Select(s => "--" + s)]);
        try
        {
            return Assert.ThrowsAsync<OptionsValidationException>(() => AcmeServerHost.PrepareAsync(app, CancellationToken.None))!;
        }
        finally
        {
            await app.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    [Test]
    public async Task MissingBearerTokenFile_NamesTheSetting()
    {
        var e = await StartFailsAsync("Metrics:BearerTokenFile=/nonexistent/acme-metrics-token");
        Assert.That(e.Message, Does.Contain("Metrics:BearerTokenFile").And.Contain("does not exist"));
    }

    [Test]
    public async Task EmptyBearerTokenFile_NamesTheSetting()
    {
        var file = Path.GetTempFileName();
        try
        {
            var e = await StartFailsAsync($"Metrics:BearerTokenFile={file}");
            Assert.That(e.Message, Does.Contain("Metrics:BearerTokenFile").And.Contain("is empty"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestCase("Health:MaxQueuedMailAge=00:00:10", "Health:MaxQueuedMailAge")]
    [TestCase("Health:CheckTimeout=00:10:00", "Health:CheckTimeout")]
    public async Task OutOfRange_NamesTheSetting(string setting, string name)
    {
        var e = await StartFailsAsync(setting);
        Assert.That(e.Message, Does.Contain(name));
    }
}
