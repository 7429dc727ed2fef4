using System.Diagnostics;
using Acme.Email.Dkim;
using Acme.Server.Hosting;
using Acme.Server.Issuance;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Server.Hosting;

/// <summary>Issue 12 §1: the Production environment (the default of a published build) refuses to start half-configured.</summary>
[Category("Integration")]
public sealed class ProductionStartTests
{
    private string _data = null!;

    [SetUp]
    public void CreateDataDirectory() => _data = Path.Combine(Path.GetTempPath(), "acme-prod-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteDataDirectory()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Test]
    public async Task Prepare_ProductionWithEmbeddedDefaults_RefusesNamingEachMissingSetting()
    {
        await using var app = AcmeServerHost.Build(["--environment", "Production", "--urls", "http://127.0.0.1:0", $"--Acme:DataDirectory={_data}"]);

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => AcmeServerHost.PrepareAsync(app, CancellationToken.None));

        Assert.That(error!.Failures.Select(f => f.Split(' ')[0]), Is.EqualTo(new[] { "Issuance:CaCertificatePath", "Dkim:KeyPath", "Acme:BaseUrl", "Acme:HttpBaseUrl" }));
        Assert.That(Directory.Exists(Path.Combine(_data, "ca")), Is.False, "no development CA is made");
    }

    [Test]
    public async Task Prepare_ProductionFullyConfigured_Starts()
    {
        var ca = Path.Combine(_data, "given-ca");
        DevelopmentCaGenerator.LoadOrCreate(ca, new FakeTimeProvider(DateTimeOffset.UtcNow));
        var dkim = DkimMessageSigner.GenerateDevelopmentKey(Path.Combine(_data, "given-dkim"), "ca.example.com", "acme", DkimSigningOptions.RsaSha256);
        await using var app = AcmeServerHost.Build(["--environment", "Production", "--urls", "http://127.0.0.1:0", $"--Acme:DataDirectory={_data}",
            "--Logging:LogLevel:Default=Warning", "--Acme:ChallengeMailbox=acme@ca.example.com",
            "--Acme:BaseUrl=https://acme.example.com", "--Acme:HttpBaseUrl=http://pki.example.com",
            $"--Issuance:CaCertificatePath={Path.Combine(ca, DevelopmentCaGenerator.IssuingCertificateFile)}",
            $"--Issuance:CaKeyPath={Path.Combine(ca, DevelopmentCaGenerator.IssuingKeyFile)}",
            $"--Dkim:KeyPath={dkim.KeyPath}"]);

        await AcmeServerHost.PrepareAsync(app, CancellationToken.None);
        await app.StartAsync();
        await app.StopAsync();

        Assert.That(Directory.Exists(Path.Combine(_data, "ca")), Is.False, "the configured CA is used, no development CA is made");
    }

    [TestCase("Production", "", "Configuration error: Issuance:CaCertificatePath")]
    [TestCase("Development", "--Dns:Servers:0=resolver.example.com:53", "Configuration error: Dns:Servers:0")]
    public async Task Process_RefusedStart_ExitsWithCode2AndNoStackTrace(string environment, string setting, string expected)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Acme.Server.dll"), "--environment", environment,
                     "--urls", "http://127.0.0.1:0", $"--Acme:DataDirectory={_data}", setting }.Where(a => a.Length > 0))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A server that starts instead of refusing runs until killed.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"the server did not exit within 60 s: {await stdout}{await stderr}");
        }

        var error = await stderr;
        Assert.That(process.ExitCode, Is.EqualTo(2), error + await stdout);
        Assert.That(error, Does.Contain(expected));
        Assert.That(error + await stdout, Does.Not.Contain("   at "), "a configuration error, not a stack trace");
    }
}
