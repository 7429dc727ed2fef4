using Acme.Server.Issuance;
using Acme.Tests.Support;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Server.Issuance;

[TestFixture]
public sealed class CrlGeneratorTests
{
    private IssuanceTestCa _ca = null!;

    [OneTimeSetUp]
    public void CreateCa() => _ca = new IssuanceTestCa();

    [OneTimeTearDown]
    public void DeleteCa() => _ca.Dispose();

    private RevokedEntry[] Entries() =>
    [
        new("1a2b3c", _ca.Time.GetUtcNow().AddHours(-2), 1),
        new("7fffffffffffffffffffffffffffffffffffffff", _ca.Time.GetUtcNow().AddHours(-1), null),
        new("0f", _ca.Time.GetUtcNow().AddMinutes(-5), 0),
    ];

    [Test]
    public void Generate_ThreeEntries_BouncyCastleReadsEveryField()
    {
        var der = new CrlGenerator(_ca.Material, _ca.Time).Generate(Entries(), BigInteger.ValueOf(42), TimeSpan.FromDays(7));

        var crl = new X509CrlParser().ReadCrl(der);
        var now = _ca.Time.GetUtcNow().UtcDateTime;
        Assert.Multiple(() =>
        {
            Assert.That(() => crl.Verify(_ca.Material.Certificate.GetPublicKey()), Throws.Nothing);
            Assert.That(crl.IssuerDN.GetDerEncoded(), Is.EqualTo(_ca.Material.Certificate.SubjectDN.GetDerEncoded()));
            Assert.That(crl.ThisUpdate, Is.EqualTo(now));
            Assert.That(crl.NextUpdate!.Value, Is.EqualTo(now.AddDays(7)));
            Assert.That(CrlNumber.GetInstance(crl.GetExtensionValue(X509Extensions.CrlNumber).GetOctets()).PositiveValue.IntValue, Is.EqualTo(42));
            var aki = AuthorityKeyIdentifier.GetInstance(
                Org.BouncyCastle.X509.Extension.X509ExtensionUtilities.FromExtensionValue(crl, X509Extensions.AuthorityKeyIdentifier));
            Assert.That(aki.KeyIdentifier.GetOctets(), Is.EqualTo(_ca.Material.SubjectKeyIdentifier));
            Assert.That(aki.AuthorityCertIssuer, Is.Null);

            var entries = crl.GetRevokedCertificates().ToDictionary(e => e.SerialNumber.ToString(16));
            Assert.That(entries.Keys, Is.EquivalentTo(new[] { "1a2b3c", "7fffffffffffffffffffffffffffffffffffffff", "f" }));
            var withReason = entries["1a2b3c"];
            Assert.That(withReason.GetCriticalExtensionOids(), Is.Empty);
            Assert.That(withReason.GetExtensionValue(X509Extensions.ReasonCode), Is.Not.Null);
            Assert.That(entries["7fffffffffffffffffffffffffffffffffffffff"].HasExtensions, Is.False);
            Assert.That(entries["f"].HasExtensions, Is.False);
        });
    }

    [Test]
    public void Generate_ThreeEntries_OpenSslParsesAndVerifies()
    {
        var der = new CrlGenerator(_ca.Material, _ca.Time).Generate(Entries(), BigInteger.One, TimeSpan.FromDays(7));
        var crlPath = Path.Combine(_ca.Directory, "test.crl");
        File.WriteAllBytes(crlPath, der);
        var bundle = Path.Combine(_ca.Directory, "bundle.pem");
        File.WriteAllText(bundle, _ca.Material.ChainPem);

        var (textExit, text) = OpenSsl.Run("crl", "-inform", "DER", "-in", crlPath, "-noout", "-text");
        var (verifyExit, verify) = OpenSsl.Run("crl", "-inform", "DER", "-in", crlPath, "-noout", "-CAfile", bundle);

        Assert.That(textExit, Is.Zero, text);
        Assert.That(text, Does.Contain("Key Compromise").And.Contain("X509v3 CRL Number").And.Contain("1A2B3C"));
        Assert.That(text, Does.Not.Contain("Unspecified"));
        Assert.That(verifyExit, Is.Zero, verify);
        Assert.That(verify, Does.Contain("verify OK"));
    }

    [TestCase(0)]
    [TestCase(11)]
    public void Generate_ValidityOutOfRange_Throws(int days)
    {
        var generator = new CrlGenerator(_ca.Material, _ca.Time);

        Assert.That(() => generator.Generate([], BigInteger.One, TimeSpan.FromDays(days)), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [TestCase(7)]
    [TestCase(11)]
    public void Generate_UnknownReasonCode_Throws(int reason)
    {
        var generator = new CrlGenerator(_ca.Material, _ca.Time);

        Assert.That(() => generator.Generate([new RevokedEntry("01", _ca.Time.GetUtcNow(), reason)], BigInteger.One, TimeSpan.FromDays(1)),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Generate_NoEntries_IsValidEmptyCrl()
    {
        var der = new CrlGenerator(_ca.Material, _ca.Time).Generate([], BigInteger.Two, TimeSpan.FromDays(1));

        var crl = new X509CrlParser().ReadCrl(der);

        Assert.That(crl.GetRevokedCertificates(), Is.Null, "BouncyCastle reports no revokedCertificates as null");
        Assert.That(() => crl.Verify(_ca.Material.Certificate.GetPublicKey()), Throws.Nothing);
    }
}
