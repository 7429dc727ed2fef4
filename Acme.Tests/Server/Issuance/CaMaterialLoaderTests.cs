using Acme.Server.Issuance;
using Acme.Tests.Support.Certificates;
using Org.BouncyCastle.OpenSsl;

namespace Acme.Tests.Server.Issuance;

[TestFixture]
public sealed class CaMaterialLoaderTests
{
    private IssuanceTestCa _ca = null!;

    [OneTimeSetUp]
    public void CreateCa() => _ca = new IssuanceTestCa();

    [OneTimeTearDown]
    public void DeleteCa() => _ca.Dispose();

    private string PathOf(string file) => Path.Combine(_ca.Directory, file);

    [Test]
    public void Load_Pkcs8KeyAndChain_LoadsMaterial()
    {
        var material = CaMaterialLoader.Load(new IssuanceOptions
        {
            CaCertificatePath = PathOf("issuing.pem"), CaKeyPath = PathOf("issuing.key"), ChainPath = PathOf("root.pem"),
        });

        Assert.That(material.Certificate.GetEncoded(), Is.EqualTo(_ca.Material.Certificate.GetEncoded()));
        Assert.That(material.ChainPem, Is.EqualTo(_ca.Material.ChainPem));
    }

    [Test]
    public void Load_TraditionalEcKeyWithoutChain_LoadsMaterial()
    {
        var traditional = PathOf("issuing-traditional.key");
        using (var writer = new StreamWriter(traditional))
        {
            new PemWriter(writer).WriteObject(PemText.ReadPrivateKey(File.ReadAllText(PathOf("issuing.key"))));
        }

        Assert.That(File.ReadAllText(traditional), Does.StartWith("-----BEGIN EC PRIVATE KEY-----"));
        var material = CaMaterialLoader.Load(new IssuanceOptions { CaCertificatePath = PathOf("issuing.pem"), CaKeyPath = traditional });

        Assert.That(material.ChainAbove, Is.Empty);
    }

    [Test]
    public void Load_KeyOfAnotherCertificate_ThrowsNamingCaKeyPath()
    {
        Assert.That(() => CaMaterialLoader.Load(new IssuanceOptions { CaCertificatePath = PathOf("issuing.pem"), CaKeyPath = PathOf("root.key") }),
            Throws.InvalidOperationException.With.Message.StartsWith("Issuance:CaKeyPath").And.Message.Contains("does not belong"));
    }

    [Test]
    public void Load_KeyFileNotAKey_ThrowsNamingCaKeyPath()
    {
        Assert.That(() => CaMaterialLoader.Load(new IssuanceOptions { CaCertificatePath = PathOf("issuing.pem"), CaKeyPath = PathOf("root.pem") }),
            Throws.InvalidOperationException.With.Message.StartsWith("Issuance:CaKeyPath"));
    }

    [TestCase(null, "Issuance:CaCertificatePath is not set")]
    [TestCase("missing.pem", "does not exist")]
    public void Load_CertificatePathUnusable_ThrowsNamingSetting(string? file, string expected)
    {
        var options = new IssuanceOptions { CaCertificatePath = file is null ? null : PathOf(file), CaKeyPath = PathOf("issuing.key") };

        Assert.That(() => CaMaterialLoader.Load(options), Throws.InvalidOperationException.With.Message.Contains(expected));
    }

    [Test]
    public void Load_KeyPathMissing_ThrowsNamingCaKeyPath()
    {
        Assert.That(() => CaMaterialLoader.Load(new IssuanceOptions { CaCertificatePath = PathOf("issuing.pem") }),
            Throws.InvalidOperationException.With.Message.EqualTo("Issuance:CaKeyPath is not set."));
    }

    [TestCase(0)]
    [TestCase(826)]
    public void Validate_ValidityDaysOutOfRange_ThrowsNamingSetting(int days)
    {
        var options = IssuanceTestCa.Options();
        options.ValidityDays = days;

        Assert.That(() => options.Validate(), Throws.InvalidOperationException.With.Message.Contains("Issuance:ValidityDays"));
    }

    [TestCase("https://ca.example.test/crl")]
    [TestCase("")]
    [TestCase("ldap://ca.example.test/crl")]
    public void Validate_CrlUrlNotHttp_ThrowsNamingSetting(string url)
    {
        var options = IssuanceTestCa.Options();
        options.CrlUrl = url;

        Assert.That(() => options.Validate(), Throws.InvalidOperationException.With.Message.Contains("Issuance:CrlUrl"));
    }

    [Test]
    public void Constructor_PublicKeyInsteadOfPrivate_Throws()
    {
        Assert.That(() => new CaMaterial(_ca.Material.Certificate, TestKeys.Get("p256").Public, []), Throws.ArgumentException);
    }
}
