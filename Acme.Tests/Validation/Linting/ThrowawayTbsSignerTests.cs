using Acme.Tests.Server.Issuance;
using Acme.Tests.Support.Certificates;
using Acme.Validation.Csr;
using Acme.Validation.Linting;
using Acme.Validation.Profiles;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Validation.Linting;

[TestFixture]
public sealed class ThrowawayTbsSignerTests
{
    private IssuanceTestCa _ca = null!;

    [OneTimeSetUp]
    public void CreateCa() => _ca = new IssuanceTestCa();

    [OneTimeTearDown]
    public void DeleteCa() => _ca.Dispose();

    private X509V3CertificateGenerator Generator()
    {
        var factory = new BrokenCertificateFactory(_ca.Material, _ca.Time.GetUtcNow());
        var recipe = factory.Good("p256", CertificateProfiles.MailboxStrict);
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(recipe.Serial);
        generator.SetIssuerDN(recipe.Issuer);
        generator.SetSubjectDN(recipe.Subject);
        generator.SetNotBefore(recipe.NotBefore);
        generator.SetNotAfter(recipe.NotAfter);
        generator.SetPublicKey(recipe.Key.Public);
        foreach (var (oid, critical, value) in recipe.Extensions)
        {
            generator.AddExtension(oid, critical, value);
        }

        return generator;
    }

    [Test]
    public void Sign_DevelopmentCaKeyKind_LintsCleanAndMatchesTheRealCertificate()
    {
        var generator = Generator();

        var throwaway = new ThrowawayTbsSigner().Sign(generator, CsrKeyKind.EcP256);
        var real = generator.Generate(_ca.Material.Signer.CreateSignatureFactory());

        var report = SbrLinter.CreateDefault().Lint(throwaway, new LintContext(
            CertificateProfiles.MailboxStrict, _ca.Material.Certificate, [BrokenCertificateFactory.Mailbox(BrokenCertificateFactory.Address)], _ca.Time.GetUtcNow()));
        Assert.That(report.Findings, Is.Empty, () => string.Join("\n", report.Findings));
        Assert.That(throwaway.CertificateStructure.TbsCertificate.GetDerEncoded(), Is.EqualTo(real.CertificateStructure.TbsCertificate.GetDerEncoded()));
        Assert.That(() => throwaway.Verify(_ca.Material.Certificate.GetPublicKey()), Throws.Exception, "the throwaway signature must not verify under the CA key");
    }

    [TestCase(CsrKeyKind.Rsa, "300d06092a864886f70d01010b0500")]
    [TestCase(CsrKeyKind.EcP256, "300a06082a8648ce3d040302")]
    [TestCase(CsrKeyKind.EcP384, "300a06082a8648ce3d040303")]
    [TestCase(CsrKeyKind.EcP521, "300a06082a8648ce3d040304")]
    [TestCase(CsrKeyKind.Ed25519, "300506032b6570")]
    public void Sign_EachCaKeyKind_WritesTheSbrSignatureEncoding(CsrKeyKind kind, string expectedHex)
    {
        var certificate = new ThrowawayTbsSigner().Sign(Generator(), kind);

        Assert.That(Convert.ToHexStringLower(certificate.CertificateStructure.SignatureAlgorithm.GetDerEncoded()), Is.EqualTo(expectedHex));
        Assert.That(Convert.ToHexStringLower(certificate.CertificateStructure.TbsCertificate.Signature.GetDerEncoded()), Is.EqualTo(expectedHex));
    }

    [Test]
    public void Sign_Repeatedly_ReusesOneThrowawayKeyPerKind()
    {
        var signer = new ThrowawayTbsSigner();

        var first = signer.Sign(Generator(), CsrKeyKind.Rsa);
        var second = signer.Sign(Generator(), CsrKeyKind.Rsa);

        // Issue 13: no RSA-2048 key generation per issuance; both previews verify under the one throwaway key.
        Assert.That(() => first.Verify(signer.PublicKey(CsrKeyKind.Rsa)), Throws.Nothing);
        Assert.That(() => second.Verify(signer.PublicKey(CsrKeyKind.Rsa)), Throws.Nothing);
        Assert.That(signer.PublicKey(CsrKeyKind.EcP256), Is.Not.EqualTo(signer.PublicKey(CsrKeyKind.EcP384)));
    }
}
