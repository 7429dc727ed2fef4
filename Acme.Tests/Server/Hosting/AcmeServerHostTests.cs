using System.Net;
using Acme.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Acme.Tests.Server.Hosting;

/// <summary>Start-up: configuration errors name their setting; plain HTTP behind a proxy uses the configured base URL.</summary>
[Category("Integration")]
public sealed class AcmeServerHostTests
{
    private string _data = null!;

    [SetUp]
    public void CreateDataDirectory() => _data = Path.Combine(Path.GetTempPath(), "acme-host-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteDataDirectory()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [TestCase("--Acme:PendingAuthorizationLifetime=2.00:00:00", "Acme:PendingAuthorizationLifetime")]
    [TestCase("--Acme:ChallengeMailbox=not-an-address", "Acme:ChallengeMailbox")]
    [TestCase("--Acme:BaseUrl=ftp://x", "Acme:BaseUrl")]
    [TestCase("--Mail:FirstSendDelay=02:00:00", "Mail:FirstSendDelay")]
    public async Task Prepare_BadAcmeSetting_FailsNamingIt(string setting, string named)
    {
        var app = AcmeServerHost.Build(["--environment", "Development", "--urls", "http://127.0.0.1:0", $"--Acme:DataDirectory={_data}", setting]);
        var error = Assert.ThrowsAsync<OptionsValidationException>(() => AcmeServerHost.PrepareAsync(app, CancellationToken.None));
        Assert.That(error!.Message, Does.Contain(named));
        await app.DisposeAsync();
    }

    [TestCase("--Issuance:ValidityDays=900", "Issuance:ValidityDays")]
    [TestCase("--Issuance:CaCertificatePath=/nonexistent/ca.pem", "Issuance:CaCertificatePath")]
    [TestCase("--Issuance:Pkcs11:Library=/nonexistent/module.so", "Issuance:CaCertificatePath is not set")]
    [TestCase("--Imap:Host=127.0.0.1", "Imap:")]
    [TestCase("--Dkim:KeyPath=/nonexistent/key.pem", "Dkim:")]
    public async Task Prepare_BadIssuanceSetting_FailsNamingIt(string setting, string named)
    {
        var app = AcmeServerHost.Build(["--environment", "Development", "--urls", "http://127.0.0.1:0", $"--Acme:DataDirectory={_data}", setting]);
        // Options failures (OptionsValidationException) and files that cannot be read (InvalidOperationException) both name the setting.
        var error = Assert.CatchAsync(() => AcmeServerHost.PrepareAsync(app, CancellationToken.None));
        Assert.That(error, Is.InstanceOf<OptionsValidationException>().Or.InstanceOf<InvalidOperationException>());
        Assert.That(error!.Message, Does.Contain(named));
        await app.DisposeAsync();
    }

    [Test]
    public void Build_TlsPathsHalfSet_FailsNamingTheMissingOne()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AcmeServerHost.Build(
            ["--environment", "Development", "--urls", "https://127.0.0.1:0", $"--Acme:DataDirectory={_data}", "--Tls:CertificatePath=/etc/hostname"]));
        Assert.That(error!.Message, Does.Contain("Tls:KeyPath"));
    }

    [Test]
    public async Task PlainHttpBehindProxy_DirectoryUsesConfiguredBaseUrl()
    {
        await using var app = AcmeServerHost.Build(
            ["--environment", "Development", "--urls", "http://127.0.0.1:0", $"--Acme:DataDirectory={_data}", "--Acme:BaseUrl=https://acme.example.test", "--Logging:LogLevel:Default=Warning"]);
        await AcmeServerHost.PrepareAsync(app, CancellationToken.None);
        await app.StartAsync();
        var address = app.Urls.Single();
        using var http = new HttpClient();
        var response = await http.GetAsync(address + "/directory");
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body, Does.Contain("\"newOrder\":\"https://acme.example.test/new-order\""));
        Assert.That(File.Exists(Path.Combine(_data, "tls", "server.pem")), Is.False, "no TLS certificate is made when nothing listens on HTTPS");
        await app.StopAsync();
    }

    [Test]
    public async Task FirstStart_CreatesDevelopmentCaAndDatabaseWithOwnerOnlyKeys()
    {
        await using var app = AcmeServerHost.Build(["--environment", "Development", "--urls", "https://127.0.0.1:0", $"--Acme:DataDirectory={_data}"]);
        await AcmeServerHost.PrepareAsync(app, CancellationToken.None);
        await app.StartAsync();
        await app.StopAsync();
        Assert.That(File.Exists(Path.Combine(_data, "acme.db")), Is.True);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var key in new[] { "ca/root.key", "ca/issuing.key", "tls/server.key" })
        {
            Assert.That(File.GetUnixFileMode(Path.Combine(_data, key)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), key);
        }
    }
}
