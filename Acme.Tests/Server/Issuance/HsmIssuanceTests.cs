using Acme.Server.Issuance;
using Acme.Tests.Support;
using Acme.Tests.Support.Certificates;
using Acme.Validation.Csr;
using Acme.Validation.Identifiers;
using Acme.Validation.Profiles;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Server.Issuance;

/// <summary>
/// Certificates and CRLs signed by an issuing CA key inside a SoftHSM token (created with the CA commands),
/// checked by openssl.
/// </summary>
[TestFixture("ec-p256")]
[TestFixture("ec-p384")]
[TestFixture("rsa-3072")]
[Category("Integration")]
public sealed class HsmIssuanceTests(string issuingKeyType)
{
    private HsmCaFixture _ca = null!;
    private CaMaterial _material = null!;

    [OneTimeSetUp]
    public void CreateCa()
    {
        _ca = new HsmCaFixture(issuingKeyType);
        _material = CaMaterialLoader.Load(_ca.Options());
    }

    [OneTimeTearDown]
    public void DeleteCa()
    {
        _material?.Dispose();
        _ca?.Dispose();
    }

    private string PathOf(string file) => Path.Combine(_ca.Directory, file);

    [Test]
    public async Task IssueAsync_IssuingKeyInToken_OpenSslVerifiesForSmimeSigning()
    {
        var mailboxes = new[] { MailboxNormalizer.Normalize("alice@example.test").Value! };
        var csr = new CsrValidator().Validate(TestCsrBuilder.ForKey(TestKeys.Get("p256")).WithRfc822("alice@example.test").Build(), mailboxes, null);
        var issuer = new LocalCertificateIssuer(_material, IssuanceTestCa.Options(), _ca.Time);

        var issued = await issuer.IssueAsync(new IssuanceRequest(csr.Value!, mailboxes, CertificateProfiles.Default, null, null), CancellationToken.None);
        await File.WriteAllTextAsync(PathOf("leaf.pem"), PemText.Certificate(new X509CertificateParser().ReadCertificate(issued.Der)));

        var (exitCode, output) = OpenSsl.Run("verify", "-x509_strict", "-purpose", "smimesign", "-attime", _ca.AtTime,
            "-CAfile", _ca.RootCertificatePath, "-untrusted", _ca.IssuingCertificatePath, PathOf("leaf.pem"));
        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output.TrimEnd(), Does.EndWith("OK"), output);
    }

    [Test]
    public void Generate_IssuingKeyInToken_OpenSslVerifiesCrl()
    {
        var der = new CrlGenerator(_material, _ca.Time).Generate([new RevokedEntry("1a2b3c", _ca.Time.GetUtcNow(), 1)], BigInteger.One, TimeSpan.FromDays(7));
        File.WriteAllBytes(PathOf("issuing.crl"), der);
        File.WriteAllText(PathOf("bundle.pem"), _material.ChainPem + File.ReadAllText(_ca.RootCertificatePath));

        var (exitCode, output) = OpenSsl.Run("crl", "-inform", "DER", "-in", PathOf("issuing.crl"), "-noout", "-CAfile", PathOf("bundle.pem"));

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("verify OK"));
    }

    [Test]
    public void Load_TokenKeyOfAnotherCertificate_ThrowsNamingKeyLabel()
    {
        Assert.That(() => CaMaterialLoader.Load(_ca.Options(keyLabel: "root")),
            Throws.InvalidOperationException.With.Message.StartsWith("Issuance:Pkcs11:KeyLabel: the key 'root' in token '" + _ca.Token.Label + "' does not belong to the certificate"));
    }

    [Test]
    public void Load_CaKeyPathAndToken_ThrowsNamingCaKeyPath()
    {
        var options = _ca.Options();
        options.CaKeyPath = PathOf("any.key");

        Assert.That(() => CaMaterialLoader.Load(options),
            Throws.InvalidOperationException.With.Message.StartsWith("Issuance:CaKeyPath: set either it or Issuance:Pkcs11:Library"));
    }

    [Test]
    public void Load_WrongTokenLabel_ThrowsNamingTokenLabel()
    {
        var options = _ca.Options();
        options.Pkcs11.TokenLabel = "absent";

        Assert.That(() => CaMaterialLoader.Load(options), Throws.InvalidOperationException.With.Message.StartsWith("Issuance:Pkcs11:TokenLabel: no token labelled 'absent'"));
    }
}
