using Acme.Server.Hosting.Commands;
using Acme.Tests.Support.Hsm;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Server.Issuance;

/// <summary>
/// A root and an issuing CA whose keys were generated inside a fresh SoftHSM token by <c>ca init-root</c> and
/// <c>ca init-issuing</c>, in a temporary directory, with a fake clock.
/// </summary>
internal sealed class HsmCaFixture : IDisposable
{
    public HsmCaFixture(string issuingKeyType)
    {
        Directory = Path.Combine(Path.GetTempPath(), "acme-hsm-ca-" + Guid.NewGuid().ToString("N"));
        Token = SoftHsm.CreateToken(Path.Combine(Directory, "token"));
        Time = new FakeTimeProvider(IssuanceTestCa.Start);
        Run("init-root", "--out", Path.Combine(Directory, "root"), "--subject", "CN=HSM Test Root, O=Acme Tests, C=DE",
            "--key-type", "ec-p384", "--key-label", "root");
        Run("init-issuing", "--out", Path.Combine(Directory, "issuing"), "--subject", "CN=HSM Test Issuing CA, O=Acme Tests, C=DE",
            "--root-cert", RootCertificatePath, "--root-key-label", "root", "--crl-url", "http://ca.example.test/root.crl",
            "--ca-issuers-url", "http://ca.example.test/root.cer", "--key-type", issuingKeyType, "--key-label", "issuing");
        Time.Advance(TimeSpan.FromHours(1));
    }

    public string Directory { get; }

    public SoftHsmToken Token { get; }

    public FakeTimeProvider Time { get; }

    public string RootCertificatePath => Path.Combine(Directory, "root", "root.pem");

    public string IssuingCertificatePath => Path.Combine(Directory, "issuing", "issuing.pem");

    public string AtTime => Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The server settings for the issuing CA in the token.</summary>
    public Acme.Server.Issuance.IssuanceOptions Options(string keyLabel = "issuing")
    {
        var options = IssuanceTestCa.Options();
        options.CaCertificatePath = IssuingCertificatePath;
        options.Pkcs11 = Token.Options(keyLabel);
        return options;
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private void Run(string command, params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args = ["ca", command, .. arguments, "--pkcs11-library", SoftHsm.LibraryPath, "--token-label", Token.Label, "--pin-file", Token.PinFile];
        var exit = CaCommands.RunAsync(args, output, error, Time).GetAwaiter().GetResult();
        Assert.That(exit, Is.Zero, $"ca {command}: {output}{error}");
    }
}
