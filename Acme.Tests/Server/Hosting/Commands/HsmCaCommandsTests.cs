using Acme.Server.Hosting.Commands;
using Acme.Tests.Server.Issuance;
using Acme.Tests.Support.Hsm;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Server.Hosting.Commands;

/// <summary>The CA commands' token errors, each named by the option the operator gave.</summary>
[TestFixture]
[Category("Integration")]
public sealed class HsmCaCommandsTests
{
    private string _directory = null!;
    private SoftHsmToken _token = null!;
    private readonly FakeTimeProvider _time = new(IssuanceTestCa.Start);

    [OneTimeSetUp]
    public async Task CreateRootInToken()
    {
        _directory = Path.Combine(Path.GetTempPath(), "acme-hsm-commands-" + Guid.NewGuid().ToString("N"));
        _token = SoftHsm.CreateToken(_directory);
        File.WriteAllText(PathOf("wrong.pin"), "000000\n");
        var (exit, error) = await RunAsync("init-root", "--out", PathOf("root"), "--subject", "CN=Root", "--key-label", "root", "--pin-file", _token.PinFile);
        Assert.That(exit, Is.Zero, error);
    }

    [OneTimeTearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private async Task<(int Exit, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CaCommands.RunAsync(["ca", .. args, "--pkcs11-library", SoftHsm.LibraryPath, "--token-label", _token.Label], output, error, _time);
        return (exit, error.ToString());
    }

    private Task<(int Exit, string Error)> InitIssuingAsync(params string[] extra) => RunAsync(
    [
        "init-issuing", "--out", PathOf("issuing"), "--subject", "CN=Issuing", "--root-cert", PathOf("root/root.pem"),
        "--crl-url", "http://ca.example.test/root.crl", "--ca-issuers-url", "http://ca.example.test/root.cer", "--key-label", "issuing", .. extra,
    ]);

    [Test]
    public async Task InitIssuing_WrongPinForRootKey_ExitsTwoNamingPinFile()
    {
        var (exit, error) = await InitIssuingAsync("--root-key-label", "root", "--pin-file", PathOf("wrong.pin"));

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("ca init-issuing: --pin-file: the token rejected the PIN"));
    }

    [Test]
    public async Task InitIssuing_WrongRootPinFile_ExitsTwoNamingRootPinFile()
    {
        var (exit, error) = await InitIssuingAsync("--root-key-label", "root", "--pin-file", _token.PinFile, "--root-pin-file", PathOf("wrong.pin"));

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("ca init-issuing: --root-pin-file: the token rejected the PIN"));
    }

    [Test]
    public async Task InitIssuing_UnknownRootKeyLabel_ExitsTwoNamingRootKeyLabel()
    {
        var (exit, error) = await InitIssuingAsync("--root-key-label", "absent", "--pin-file", _token.PinFile);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("ca init-issuing: --root-key-label: token '" + _token.Label + "' holds no private key labelled 'absent'"));
    }

    [Test]
    public async Task InitRoot_KeyLabelTaken_ExitsTwoNamingKeyLabel()
    {
        var (exit, error) = await RunAsync("init-root", "--out", PathOf("again"), "--subject", "CN=Again", "--key-label", "root", "--pin-file", _token.PinFile);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("ca init-root: --key-label: token '" + _token.Label + "' already holds an object labelled 'root'"));
    }
}
