using Acme.Server.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Acme.Tests.Server.Hosting.Commands;

/// <summary>
/// Issue 12 §4: every operator command answers --help, and refuses bad input with a non-zero exit code
/// (2: bad input; 1: understood but not possible) and a message naming the problem. Runs on an empty
/// SQLite database; none of these refusals depends on the engine.
/// </summary>
public sealed class CommandInputTests
{
    private string _data = null!;
    private WebApplication _app = null!;

    [OneTimeSetUp]
    public async Task PrepareAsync()
    {
        _data = Path.Combine(Path.GetTempPath(), "acme-commands-" + Guid.NewGuid().ToString("N"));
        _app = AcmeServerHost.Build(["--environment", "Development", "--urls", "http://127.0.0.1:0", $"--Acme:DataDirectory={_data}", "--Logging:LogLevel:Default=Warning"]);
        await AcmeServerHost.PrepareAsync(_app, CancellationToken.None);
    }

    [OneTimeTearDown]
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

    [TestCase("eab")]
    [TestCase("audit")]
    [TestCase("certificates")]
    [TestCase("revoke")]
    [TestCase("accounts")]
    [TestCase("mail")]
    [TestCase("backup")]
    public async Task Help_EveryCommand_PrintsUsageExit0(string command)
    {
        Assert.That(AdminCommands.IsAdminCommand([command]), Is.True);
        var (code, output, _) = await RunAsync(command, "--help");
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.StartWith("usage: " + command));
        Assert.That((await RunAsync("help")).Output, Does.Contain(command));
    }

    [TestCase(new[] { "revoke", "--serial", "zz11", "--reason", "superseded" }, 2, "--serial must be the serial number in hex")]
    [TestCase(new[] { "revoke", "--serial", "abc123" }, 2, "--reason is required")]
    [TestCase(new[] { "revoke", "--serial", "abc123", "--reason", "certificateHold" }, 2, "not accepted")]
    [TestCase(new[] { "revoke", "--serial", "abc123", "--account", "x", "--reason", "superseded" }, 2, "exactly one")]
    [TestCase(new[] { "revoke", "--address", "--reason", "superseded" }, 2, "--address needs a value")]
    [TestCase(new[] { "revoke", "--address", "nobody", "--reason", "superseded" }, 2, "must be a mailbox")]
    [TestCase(new[] { "revoke", "--serial", "abc123", "--reason", "superseded", "--force" }, 2, "unknown option --force")]
    [TestCase(new[] { "revoke", "--public-key", "/nonexistent/key.pem", "--reason", "superseded" }, 2, "cannot read")]
    [TestCase(new[] { "revoke", "--serial", "abc123", "--reason", "superseded" }, 1, "no certificate with serial abc123")]
    [TestCase(new[] { "revoke", "--account", "no-such-account", "--reason", "superseded" }, 1, "no account with id no-such-account")]
    [TestCase(new[] { "certificates", "list", "--issued-after", "yesterday" }, 2, "--issued-after must be a date")]
    [TestCase(new[] { "certificates", "list", "--issued-before", "2026-13-01" }, 2, "--issued-before must be a date")]
    [TestCase(new[] { "certificates", "list", "--limit", "0" }, 2, "--limit must be a whole number")]
    [TestCase(new[] { "certificates", "list", "--serial", "0x" }, 2, "--serial must be the serial number in hex")]
    [TestCase(new[] { "certificates", "list", "--issued-after=2026-01-01" }, 2, "unknown option --issued-after=2026-01-01")]
    [TestCase(new[] { "certificates", "show" }, 2, "expected exactly one SERIAL")]
    [TestCase(new[] { "certificates", "show", "g00d" }, 2, "SERIAL must be the serial number in hex")]
    [TestCase(new[] { "certificates", "show", "abcdef" }, 1, "no certificate with serial abcdef")]
    [TestCase(new[] { "certificates", "remove" }, 2, "expected 'list' or 'show SERIAL'")]
    [TestCase(new[] { "accounts", "suspend", "no-such-account" }, 2, "--reason TEXT is required")]
    [TestCase(new[] { "accounts", "suspend", "no-such-account", "--reason" }, 2, "--reason needs a value")]
    [TestCase(new[] { "accounts", "suspend", "no-such-account", "--reason", "abuse" }, 1, "no account with id no-such-account")]
    [TestCase(new[] { "accounts", "resume", "no-such-account" }, 1, "no account with id no-such-account")]
    [TestCase(new[] { "accounts", "deactivate", "no-such-account" }, 1, "no account with id no-such-account")]
    [TestCase(new[] { "accounts", "show", "no-such-account" }, 1, "no account with id no-such-account")]
    [TestCase(new[] { "accounts", "list", "--limit", "many" }, 2, "--limit must be a whole number")]
    [TestCase(new[] { "accounts", "resume" }, 2, "expected list")]
    [TestCase(new[] { "mail", "retry" }, 2, "expected queue, failures or retry ID")]
    [TestCase(new[] { "mail", "retry", "no-such-mail" }, 1, "no challenge mail with that id")]
    // Resource ids are base64url: one may start with '-' and is still an id, not an option.
    [TestCase(new[] { "mail", "retry", "-2c8SzRznF__P5-JkTzdTA" }, 1, "no challenge mail with that id")]
    [TestCase(new[] { "mail", "retry", "--", "--c8SzRznF__P5-JkTzdT" }, 1, "no challenge mail with that id")]
    [TestCase(new[] { "accounts", "show", "--c8SzRznF__P5-JkTzdTA" }, 1, "no account with id --c8SzRznF__P5-JkTzdTA")]
    [TestCase(new[] { "mail", "queue", "--limit", "-3" }, 2, "--limit")]
    [TestCase(new[] { "mail", "queue", "--all" }, 2, "unknown option --all")]
    [TestCase(new[] { "backup" }, 2, "--out FILE is required")]
    [TestCase(new[] { "backup", "--out" }, 2, "--out needs a value")]
    [TestCase(new[] { "audit", "--serial", "xyz" }, 2, "--serial must be the serial number in hex")]
    [TestCase(new[] { "eab", "list", "--kid", "x" }, 2, "expected 'create' or 'list'")]
    public async Task Command_BadInput_NonZeroWithMessage(string[] args, int expected, string message)
    {
        var (code, output, error) = await RunAsync(args);
        Assert.That(code, Is.EqualTo(expected), output + error);
        Assert.That(error, Does.Contain(message));
    }

    [Test]
    public async Task Backup_ExistingTarget_RefusedAndKept()
    {
        var target = Path.Combine(_data, "exists.db");
        await File.WriteAllTextAsync(target, "keep me");
        var (code, _, error) = await RunAsync("backup", "--out", target);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("exists; refusing to overwrite"));
        Assert.That(await File.ReadAllTextAsync(target), Is.EqualTo("keep me"));
    }
}
