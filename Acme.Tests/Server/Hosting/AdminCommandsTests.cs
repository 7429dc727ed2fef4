using Acme.Server.Hosting;
using Acme.Server.Storage;
using Acme.Tests.Support.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Tests.Server.Hosting;

[StorageMatrix]
public sealed class AdminCommandsTests
{
    private string _data = null!;
    private Microsoft.AspNetCore.Builder.WebApplication _app = null!;

    [SetUp]
    public async Task PrepareAsync()
    {
        _data = Path.Combine(Path.GetTempPath(), "acme-admin-" + Guid.NewGuid().ToString("N"));
        _app = AcmeServerHost.Build(["--environment", "Development", "--urls", "http://127.0.0.1:0", $"--Acme:DataDirectory={_data}", "--Logging:LogLevel:Default=Warning",
            .. StorageMatrixAttribute.SettingsForCurrentTest().Select(s => "--" + s)]);
        await AcmeServerHost.PrepareAsync(_app, CancellationToken.None);
    }

    [TearDown]
    public async Task CleanUpAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AdminCommands.RunAsync(_app, args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Test]
    public async Task EabCreate_StoresKeyUsableByNewAccount()
    {
        var (code, output, _) = await RunAsync("eab", "create", "--kid", "partner-1", "--alg", "HS384");
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("kid: partner-1"));
        var macText = output.Split('\n').Single(l => l.StartsWith("hmac", StringComparison.Ordinal)).Split(": ")[1].Trim();
        Assert.That(Acme.Validation.Codecs.StrictBase64Url.TryDecode(macText, out var mac), Is.True);
        Assert.That(mac, Has.Length.EqualTo(48));

        var stored = await _app.Services.GetRequiredService<Database>().ReadAsync(
            c => _app.Services.GetRequiredService<IAccountStore>().FindEabKeyAsync(c, "partner-1"), CancellationToken.None);
        Assert.That(stored!.HmacKey, Is.EqualTo(mac));
        Assert.That(stored.Algorithm, Is.EqualTo("HS384"));
        Assert.That((await RunAsync("eab", "list")).Output, Does.Contain("partner-1\tHS384\tunused"));
    }

    [TestCase(new[] { "eab", "create", "--alg", "HS1" }, "--alg")]
    [TestCase(new[] { "eab", "create", "--kid", "bad kid" }, "--kid")]
    [TestCase(new[] { "eab" }, "usage")]
    public async Task Eab_BadArguments_Exit2WithMessage(string[] args, string message)
    {
        var (code, _, error) = await RunAsync(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain(message));
    }

    [Test]
    public async Task EabCreate_DuplicateKid_Refused()
    {
        Assert.That((await RunAsync("eab", "create", "--kid", "dup")).Code, Is.Zero);
        var (code, _, error) = await RunAsync("eab", "create", "--kid", "dup");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("already exists"));
    }

    [Test]
    public async Task Backup_ByEngine_SqliteWritesCopy_PostgreSqlPointsToPgDump()
    {
        var target = Path.Combine(_data, "copy.db");
        var (code, output, error) = await RunAsync("backup", "--out", target);
        if (StorageMatrixAttribute.ProviderOfCurrentTest() == StorageProvider.PostgreSql)
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(error, Does.Contain("pg_dump"));
            Assert.That(File.Exists(target), Is.False);
        }
        else
        {
            Assert.That(code, Is.Zero, error);
            Assert.That(output, Does.Contain("database copied to " + target));
            Assert.That(new FileInfo(target).Length, Is.GreaterThan(0));
        }
    }
}
