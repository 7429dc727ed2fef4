using System.Runtime.Versioning;
using Acme.Server.Hosting.Commands;
using Acme.Server.Issuance;
using Acme.Tests.Server.Issuance;
using Acme.Tests.Support;
using Acme.Tests.Support.Certificates;
using Acme.Validation.Csr;
using Acme.Validation.Identifiers;
using Acme.Validation.Profiles;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Server.Hosting.Commands;

/// <summary>`ca init-root` and `ca init-issuing` with file keys; the token variant is exercised by HsmIssuanceTests.</summary>
[TestFixture]
[Platform(Exclude = "Win")]
[UnsupportedOSPlatform("windows")]
public sealed class CaCommandsTests
{
    private string _directory = null!;
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "acme-ca-commands-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        File.WriteAllText(PathOf("passphrase"), "root passphrase\n");
        _time = new FakeTimeProvider(IssuanceTestCa.Start);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private string PathOf(params string[] parts) => Path.Combine([_directory, .. parts]);

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CaCommands.RunAsync(["ca", .. args], output, error, _time);
        return (exit, output.ToString(), error.ToString());
    }

    private Task<(int Exit, string Output, string Error)> InitRootAsync() => RunAsync(
        "init-root", "--out", PathOf("root"), "--subject", "CN=Test Root, O=Acme Tests, C=DE", "--passphrase-file", PathOf("passphrase"));

    private Task<(int Exit, string Output, string Error)> InitIssuingAsync(params string[] extra) => RunAsync(
        ["init-issuing", "--out", PathOf("issuing"), "--subject", "CN=Test Issuing CA, O=Acme Tests, C=DE",
         "--root-cert", PathOf("root", "root.pem"), "--root-key", PathOf("root", "root.key"), "--root-passphrase-file", PathOf("passphrase"),
         "--crl-url", "http://ca.example.test/root.crl", "--ca-issuers-url", "http://ca.example.test/root.cer", .. extra]);

    [TestCase]
    [TestCase("--help")]
    [TestCase("init-root", "--help")]
    [TestCase("init-issuing", "--help")]
    public async Task RunAsync_Help_PrintsUsageAndExitsZero(params string[] args)
    {
        var (exit, output, _) = await RunAsync(args);

        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.StartWith("Usage: Acme.Server ca"));
    }

    [Test]
    public async Task InitIssuing_FileKeys_LoadsAsServerCaAndIssuesWhatOpenSslVerifies()
    {
        Assert.That((await InitRootAsync()).Exit, Is.Zero);
        var (exit, output, error) = await InitIssuingAsync("--key-type", "ec-p384");
        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("Issuance:CaKeyPath=" + PathOf("issuing", "issuing.key")));
        _time.Advance(TimeSpan.FromHours(1));

        using var material = CaMaterialLoader.Load(new IssuanceOptions { CaCertificatePath = PathOf("issuing", "issuing.pem"), CaKeyPath = PathOf("issuing", "issuing.key") });
        var mailboxes = new[] { MailboxNormalizer.Normalize("alice@example.test").Value! };
        var csr = new CsrValidator().Validate(TestCsrBuilder.ForKey(TestKeys.Get("rsa2048")).WithRfc822("alice@example.test").Build(), mailboxes, null);
        var issued = await new LocalCertificateIssuer(material, IssuanceTestCa.Options(), _time)
            .IssueAsync(new IssuanceRequest(csr.Value!, mailboxes, CertificateProfiles.Default, null, null), CancellationToken.None);
        await File.WriteAllTextAsync(PathOf("leaf.pem"), PemText.Certificate(new X509CertificateParser().ReadCertificate(issued.Der)));

        var (verifyExit, verify) = OpenSsl.Run("verify", "-x509_strict", "-purpose", "smimesign", "-attime", _time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-CAfile", PathOf("root", "root.pem"), "-untrusted", PathOf("issuing", "issuing.pem"), PathOf("leaf.pem"));
        Assert.That(verifyExit, Is.Zero, verify);
        Assert.That(verify.TrimEnd(), Does.EndWith("OK"));
    }

    [Test]
    public async Task InitIssuing_Certificate_HasSubordinateCaProfile()
    {
        await InitRootAsync();
        await InitIssuingAsync();

        var issuing = PemText.ReadCertificates(File.ReadAllText(PathOf("issuing", "issuing.pem"))).Single();
        var extensions = issuing.CertificateStructure.TbsCertificate.Extensions;
        Assert.Multiple(() =>
        {
            Assert.That(BasicConstraints.GetInstance(extensions.GetExtensionParsedValue(X509Extensions.BasicConstraints)).PathLenConstraint.IntValue, Is.Zero);
            Assert.That(KeyUsage.GetInstance(extensions.GetExtensionParsedValue(X509Extensions.KeyUsage)).IntValue, Is.EqualTo(KeyUsage.KeyCertSign | KeyUsage.CrlSign));
            Assert.That(ExtendedKeyUsage.GetInstance(extensions.GetExtensionParsedValue(X509Extensions.ExtendedKeyUsage)).GetAllUsages().Select(u => u.Id),
                Is.EqualTo(new[] { "1.3.6.1.5.5.7.3.4" }));
            Assert.That(CertificatePolicies.GetInstance(extensions.GetExtensionParsedValue(X509Extensions.CertificatePolicies)).GetPolicyInformation()
                .Select(p => p.PolicyIdentifier.Id), Is.EqualTo(CaCertificateBuilder.MailboxValidatedPolicies));
            Assert.That(CrlDistPoint.GetInstance(extensions.GetExtensionParsedValue(X509Extensions.CrlDistributionPoints)).ToString(),
                Does.Contain("http://ca.example.test/root.crl"));
            Assert.That(File.GetUnixFileMode(PathOf("issuing", "issuing.key")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.ReadAllText(PathOf("root", "root.key")), Does.StartWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        });
    }

    [TestCase(new[] { "init-root", "--out", "{out}" }, "--subject is required")]
    [TestCase(new[] { "init-root", "--out", "{out}", "--subject", "CN=R", "--bogus", "1" }, "--bogus: unknown option")]
    [TestCase(new[] { "init-root", "--out", "{out}", "--subject", "CN=R", "--days", "0" }, "--days: '0' is not a whole number")]
    [TestCase(new[] { "init-root", "--out", "{out}", "--subject", "CN=R", "--key-type", "dsa" }, "--key-type: 'dsa' is not")]
    [TestCase(new[] { "init-root", "--out", "{out}", "--subject", "CN=R", "--key-label", "k" }, "--key-label: only with --pkcs11-library")]
    [TestCase(new[] { "init-root", "--out", "{out}", "--subject", "CN=R", "--pkcs11-library", "/nonexistent.so", "--token-label", "t", "--key-label", "k", "--pin-file", "/nonexistent.pin" },
        "--pin-file: cannot read")]
    [TestCase(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    public async Task RunAsync_BadInput_ExitsTwoNamingTheProblem(string[] args, string expected)
    {
        var (exit, _, error) = await RunAsync(args.Select(a => a.Replace("{out}", PathOf("out"), StringComparison.Ordinal)).ToArray());

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain(expected));
    }

    [Test]
    public async Task InitRoot_OutputExists_ExitsTwoAndLeavesTheFile()
    {
        await InitRootAsync();
        var before = File.ReadAllText(PathOf("root", "root.pem"));

        var (exit, _, error) = await InitRootAsync();

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("exists already"));
        Assert.That(File.ReadAllText(PathOf("root", "root.pem")), Is.EqualTo(before));
    }

    [Test]
    public async Task InitIssuing_WrongRootPassphrase_ExitsTwoNamingRootKey()
    {
        await InitRootAsync();
        File.WriteAllText(PathOf("passphrase"), "another passphrase\n");

        var (exit, _, error) = await InitIssuingAsync();

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--root-key: '" + PathOf("root", "root.key") + "' cannot be read"));
    }

    [Test]
    public async Task InitIssuing_HttpsCrlUrl_ExitsTwoNamingCrlUrl()
    {
        await InitRootAsync();

        var (exit, _, error) = await RunAsync("init-issuing", "--out", PathOf("issuing"), "--subject", "CN=I", "--root-cert", PathOf("root", "root.pem"),
            "--root-key", PathOf("root", "root.key"), "--crl-url", "https://ca.example.test/root.crl", "--ca-issuers-url", "http://ca.example.test/root.cer");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--crl-url: 'https://ca.example.test/root.crl' is not an absolute http:// URL"));
    }
}
