using Acme.Server.Issuance;
using Acme.Tests.Support;
using Acme.Tests.Support.Certificates;
using Acme.Validation.Csr;
using Acme.Validation.Identifiers;
using Acme.Validation.Profiles;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace Acme.Tests.Server.Issuance;

[TestFixture]
public sealed class LocalCertificateIssuerTests
{
    private IssuanceTestCa _ca = null!;

    [OneTimeSetUp]
    public void CreateCa() => _ca = new IssuanceTestCa();

    [OneTimeTearDown]
    public void DeleteCa() => _ca.Dispose();

    private static NormalizedMailbox Mailbox(string address) => MailboxNormalizer.Normalize(address).Value!;

    private async Task<(IssuedCertificate Issued, X509Certificate Certificate)> IssueAsync(
        string keyKind, string[] addresses, CertificateProfile? profile = null, int? keyUsage = null,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var mailboxes = addresses.Select(Mailbox).ToList();
        var builder = TestCsrBuilder.ForKey(TestKeys.Get(keyKind));
        foreach (var m in mailboxes)
        {
            _ = m.HasNonAsciiLocalPart ? builder.WithSmtpUtf8(m.Address) : builder.WithRfc822(m.Address);
        }

        if (keyUsage is { } bits)
        {
            builder.WithKeyUsage(bits);
        }

        var csr = new CsrValidator().Validate(builder.Build(), mailboxes, null);
        Assert.That(csr.IsSuccess, Is.True, () => csr.Failure!.Detail);

        var issuer = new LocalCertificateIssuer(_ca.Material, IssuanceTestCa.Options(), _ca.Time);
        var issued = await issuer.IssueAsync(
            new IssuanceRequest(csr.Value!, mailboxes, profile ?? CertificateProfiles.Default, notBefore, notAfter),
            CancellationToken.None);
        return (issued, new X509CertificateParser().ReadCertificate(issued.Der));
    }

    private static X509Extension Extension(X509Certificate certificate, DerObjectIdentifier oid) =>
        certificate.CertificateStructure.TbsCertificate.Extensions.GetExtension(oid)
        ?? throw new AssertionException($"extension {oid.Id} missing");

    [TestCase("rsa2048", KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment, "1.2.840.10045.4.3.2")]
    [TestCase("p256", KeyUsage.DigitalSignature | KeyUsage.KeyAgreement, "1.2.840.10045.4.3.2")]
    public async Task IssueAsync_DualUseKey_HasEveryProfileExtensionWithCriticality(string keyKind, int expectedKeyUsage, string expectedSignatureOid)
    {
        var (issued, certificate) = await IssueAsync(keyKind, ["alice@example.test"]);

        Assert.That(certificate.SigAlgOid, Is.EqualTo(expectedSignatureOid));
        AssertProfileExtensions(certificate, expectedKeyUsage, CertificateProfiles.MailboxStrict, sanCritical: false);
        Assert.That(certificate.SubjectDN.ToString(), Is.EqualTo("CN=alice@example.test"));
        Assert.That(issued.SerialHex, Is.EqualTo(certificate.SerialNumber.ToString(16)));
    }

    [Test]
    public async Task IssueAsync_Ed25519SigningKey_HasDigitalSignatureOnly()
    {
        var (_, certificate) = await IssueAsync("ed25519", ["alice@example.test"], keyUsage: KeyUsage.DigitalSignature);

        AssertProfileExtensions(certificate, KeyUsage.DigitalSignature, CertificateProfiles.MailboxStrict, sanCritical: false);
        Assert.That(certificate.SubjectPublicKeyInfo.Algorithm.Algorithm.Id, Is.EqualTo("1.3.101.112"));
    }

    [TestCase("rsa2048", KeyUsage.KeyEncipherment, KeyUsage.KeyEncipherment)]
    [TestCase("p384", KeyUsage.KeyAgreement, KeyUsage.KeyAgreement)]
    [TestCase("rsa2048", KeyUsage.DigitalSignature | KeyUsage.NonRepudiation, KeyUsage.DigitalSignature)]
    public async Task IssueAsync_RequestedUsage_KeyUsageFollowsTable(string keyKind, int requested, int expected)
    {
        var (_, certificate) = await IssueAsync(keyKind, ["alice@example.test"], keyUsage: requested);

        Assert.That(KeyUsage.GetInstance(Extension(certificate, X509Extensions.KeyUsage).GetParsedValue()).IntValue, Is.EqualTo(expected));
    }

    [Test]
    public async Task IssueAsync_MultipurposeProfile_CarriesItsPolicyOid()
    {
        var (_, certificate) = await IssueAsync("p256", ["alice@example.test"], CertificateProfiles.MailboxMultipurpose);

        AssertProfileExtensions(certificate, KeyUsage.DigitalSignature | KeyUsage.KeyAgreement, CertificateProfiles.MailboxMultipurpose, sanCritical: false);
    }

    [Test]
    public async Task IssueAsync_TwoMailboxes_SanInOrderAndCnIsFirst()
    {
        var (_, certificate) = await IssueAsync("p256", ["bob@example.test", "alice@Example.TEST"]);

        var names = GeneralNames.GetInstance(Extension(certificate, X509Extensions.SubjectAlternativeName).GetParsedValue()).GetNames();
        Assert.That(names.Select(n => n.TagNo), Is.All.EqualTo(GeneralName.Rfc822Name));
        Assert.That(names.Select(n => n.Name.ToString()), Is.EqualTo(new[] { "bob@example.test", "alice@example.test" }));
        Assert.That(certificate.SubjectDN.ToString(), Is.EqualTo("CN=bob@example.test"));
    }

    [Test]
    public async Task IssueAsync_NonAsciiLocalPartFirst_SmtpUtf8SanNoCnCriticalSan()
    {
        var (_, certificate) = await IssueAsync("p256", ["jürgen@example.test", "alice@example.test"]);

        var names = GeneralNames.GetInstance(Extension(certificate, X509Extensions.SubjectAlternativeName).GetParsedValue()).GetNames();
        Assert.That(names[0].TagNo, Is.EqualTo(GeneralName.OtherName));
        var other = OtherName.GetInstance(names[0].Name);
        Assert.That(other.TypeID.Id, Is.EqualTo("1.3.6.1.5.5.7.8.9"));
        Assert.That(other.Value, Is.InstanceOf<DerUtf8String>());
        Assert.That(((DerUtf8String)other.Value).GetString(), Is.EqualTo("jürgen@example.test"));
        Assert.That(names[1].TagNo, Is.EqualTo(GeneralName.Rfc822Name));
        Assert.That(certificate.SubjectDN.GetOidList(), Is.Empty);
        Assert.That(Extension(certificate, X509Extensions.SubjectAlternativeName).IsCritical, Is.True);
    }

    [TestCase(64, true)]
    [TestCase(65, false)]
    public async Task IssueAsync_AddressLength_CnOnlyUpTo64Characters(int length, bool expectCn)
    {
        var local = new string('a', length - "@example.test".Length);
        var (_, certificate) = await IssueAsync("p256", [local + "@example.test"]);

        Assert.That(certificate.SubjectDN.GetOidList().Count, Is.EqualTo(expectCn ? 1 : 0));
        Assert.That(Extension(certificate, X509Extensions.SubjectAlternativeName).IsCritical, Is.EqualTo(!expectCn));
    }

    [Test]
    public async Task IssueAsync_Repeatedly_SerialsPositiveBelow2To159AndDistinct()
    {
        var limit = BigInteger.One.ShiftLeft(159);
        var serials = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            var (issued, certificate) = await IssueAsync("p256", ["alice@example.test"]);
            Assert.That(certificate.SerialNumber.SignValue, Is.EqualTo(1));
            Assert.That(certificate.SerialNumber.CompareTo(limit), Is.LessThan(0));
            Assert.That(issued.SerialHex, Does.Match("^[1-9a-f][0-9a-f]*$"));
            serials.Add(issued.SerialHex);
        }

        Assert.That(serials, Has.Count.EqualTo(20));
    }

    [Test]
    public async Task IssueAsync_DefaultWindow_BackdatedOneMinuteAnd365DaysInclusive()
    {
        var now = _ca.Time.GetUtcNow();
        var (issued, certificate) = await IssueAsync("p256", ["alice@example.test"]);

        Assert.That(issued.NotBefore, Is.EqualTo(now.AddMinutes(-1)));
        Assert.That(issued.NotAfter, Is.EqualTo(now.AddMinutes(-1).AddDays(365).AddSeconds(-1)));
        Assert.That(new DateTimeOffset(certificate.NotBefore, TimeSpan.Zero), Is.EqualTo(issued.NotBefore));
        Assert.That(new DateTimeOffset(certificate.NotAfter, TimeSpan.Zero), Is.EqualTo(issued.NotAfter));
    }

    [Test]
    public async Task IssueAsync_RequestedWindow_IsUsed()
    {
        var notBefore = _ca.Time.GetUtcNow().AddDays(1);
        var notAfter = notBefore.AddDays(30);

        var (issued, _) = await IssueAsync("p256", ["alice@example.test"], notBefore: notBefore, notAfter: notAfter);

        Assert.That((issued.NotBefore, issued.NotAfter), Is.EqualTo((notBefore, notAfter)));
    }

    [Test]
    public void IssueAsync_WindowOver825Days_Throws()
    {
        var notBefore = _ca.Time.GetUtcNow();

        Assert.That(async () => await IssueAsync("p256", ["alice@example.test"], notBefore: notBefore, notAfter: notBefore.AddDays(825)),
            Throws.InvalidOperationException.With.Message.Contains("825"));
    }

    [Test]
    public async Task IssueAsync_ChainPem_LeafThenIssuingThenRootWithoutBlankLines()
    {
        var (issued, certificate) = await IssueAsync("p256", ["alice@example.test"]);

        var blocks = new X509CertificateParser().ReadCertificates(System.Text.Encoding.ASCII.GetBytes(issued.ChainPem));
        Assert.That(blocks.Select(c => c.SubjectDN.ToString()), Is.EqualTo(new[]
        {
            certificate.SubjectDN.ToString(), _ca.Material.Certificate.SubjectDN.ToString(), _ca.Material.ChainAbove[0].SubjectDN.ToString(),
        }));
        Assert.That(issued.ChainPem, Does.Not.Contain("\n\n").And.Not.Contain("\r").And.EndsWith("-----END CERTIFICATE-----\n"));
        Assert.That(certificate.IssuerDN.GetDerEncoded(), Is.EqualTo(_ca.Material.Certificate.SubjectDN.GetDerEncoded()));
    }

    [TestCase("rsa2048", null)]
    [TestCase("p256", null)]
    [TestCase("ed25519", KeyUsage.DigitalSignature)]
    public async Task IssueAsync_BothProfiles_OpenSslVerifiesForSmimeSigning(string keyKind, int? keyUsage)
    {
        foreach (var profile in CertificateProfiles.All)
        {
            var (issued, _) = await IssueAsync(keyKind, ["alice@example.test", "jürgen@example.test"], profile, keyUsage);
            var leafPath = Path.Combine(_ca.Directory, $"leaf-{keyKind}-{profile.Name}.pem");
            await File.WriteAllTextAsync(leafPath, issued.ChainPem[..(issued.ChainPem.IndexOf("-----END CERTIFICATE-----\n", StringComparison.Ordinal) + 26)]);

            var (exitCode, output) = OpenSsl.Run("verify", "-x509_strict", "-purpose", "smimesign", "-attime", _ca.AtTime,
                "-CAfile", Path.Combine(_ca.Directory, "root.pem"), "-untrusted", Path.Combine(_ca.Directory, "issuing.pem"), leafPath);

            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output.TrimEnd(), Does.EndWith("OK"), output);
        }
    }

    private void AssertProfileExtensions(X509Certificate certificate, int keyUsage, CertificateProfile profile, bool sanCritical)
    {
        Assert.Multiple(() =>
        {
            var ku = Extension(certificate, X509Extensions.KeyUsage);
            Assert.That(ku.IsCritical, Is.True, "keyUsage critical");
            Assert.That(KeyUsage.GetInstance(ku.GetParsedValue()).IntValue, Is.EqualTo(keyUsage), "keyUsage bits");

            var eku = Extension(certificate, X509Extensions.ExtendedKeyUsage);
            Assert.That(eku.IsCritical, Is.False, "EKU not critical");
            Assert.That(ExtendedKeyUsage.GetInstance(eku.GetParsedValue()).GetAllUsages().Select(u => u.Id),
                Is.EqualTo(profile.ExtendedKeyUsageOids), "EKU purposes");

            var policies = Extension(certificate, X509Extensions.CertificatePolicies);
            Assert.That(policies.IsCritical, Is.False, "certificatePolicies not critical");
            Assert.That(CertificatePolicies.GetInstance(policies.GetParsedValue()).GetPolicyInformation()
                .Select(p => p.PolicyIdentifier.Id), Is.EqualTo(new[] { profile.PolicyOid }), "policy OID");

            Assert.That(Extension(certificate, X509Extensions.SubjectAlternativeName).IsCritical, Is.EqualTo(sanCritical), "SAN criticality");

            var bc = Extension(certificate, X509Extensions.BasicConstraints);
            Assert.That(bc.IsCritical, Is.True, "basicConstraints critical");
            var constraints = BasicConstraints.GetInstance(bc.GetParsedValue());
            Assert.That(constraints.IsCA(), Is.False, "cA false");
            Assert.That(constraints.PathLenConstraint, Is.Null, "no pathLen");

            var aki = Extension(certificate, X509Extensions.AuthorityKeyIdentifier);
            Assert.That(aki.IsCritical, Is.False, "AKI not critical");
            var akiValue = AuthorityKeyIdentifier.GetInstance(aki.GetParsedValue());
            Assert.That(akiValue.KeyIdentifier.GetOctets(), Is.EqualTo(_ca.Material.SubjectKeyIdentifier), "AKI keyIdentifier");
            Assert.That(akiValue.AuthorityCertIssuer, Is.Null, "AKI without issuer");
            Assert.That(akiValue.AuthorityCertSerialNumber, Is.Null, "AKI without serial");

            var ski = Extension(certificate, X509Extensions.SubjectKeyIdentifier);
            Assert.That(ski.IsCritical, Is.False, "SKI not critical");
            Assert.That(SubjectKeyIdentifier.GetInstance(ski.GetParsedValue()).GetKeyIdentifier(),
                Is.EqualTo(X509ExtensionUtilities.CreateSubjectKeyIdentifier(certificate.GetPublicKey()).GetKeyIdentifier()), "SKI value");

            var crlDp = Extension(certificate, X509Extensions.CrlDistributionPoints);
            Assert.That(crlDp.IsCritical, Is.False, "CRL DP not critical");
            var point = CrlDistPoint.GetInstance(crlDp.GetParsedValue()).GetDistributionPoints().Single();
            var uris = GeneralNames.GetInstance(point.DistributionPointName.Name).GetNames();
            Assert.That(uris.Select(u => (u.TagNo, u.Name.ToString())),
                Is.EqualTo(new[] { (GeneralName.UniformResourceIdentifier, "http://ca.example.com/crl/1.crl") }), "CRL DP URI");

            var aia = Extension(certificate, X509Extensions.AuthorityInfoAccess);
            Assert.That(aia.IsCritical, Is.False, "AIA not critical");
            var access = AuthorityInformationAccess.GetInstance(aia.GetParsedValue()).GetAccessDescriptions().Single();
            Assert.That(access.AccessMethod, Is.EqualTo(AccessDescription.IdADCAIssuers), "AIA caIssuers");
            Assert.That(access.AccessLocation.Name.ToString(), Is.EqualTo("http://ca.example.com/issuing.cer"), "AIA URI");

            Assert.That(certificate.CertificateStructure.TbsCertificate.Extensions.GetExtensionOids(), Has.Length.EqualTo(9), "no other extensions");
            Assert.That(certificate.Version, Is.EqualTo(3));
        });
    }

    [Test]
    public void IssueAsync_ASignerThatSignsWithAnotherKey_IsStoppedBeforeTheCertificateLeaves()
    {
        // A token that reports the CA's public key but signs with another: the check of the new certificate refuses it.
        var other = TestKeys.Get("p256");
        var broken = new MisSigningSigner(_ca.Material.Signer, other.Private);
        using var material = new CaMaterial(_ca.Material.Certificate, broken, _ca.Material.ChainAbove);
        var mailboxes = new[] { Mailbox("broken@example.test") };
        var csr = new CsrValidator().Validate(TestCsrBuilder.ForKey(TestKeys.Get("p256")).WithRfc822("broken@example.test").Build(), mailboxes, null);
        var issuer = new LocalCertificateIssuer(material, IssuanceTestCa.Options(), _ca.Time);

        Assert.That(() => issuer.IssueAsync(new IssuanceRequest(csr.Value!, mailboxes, CertificateProfiles.Default, null, null), CancellationToken.None),
            Throws.InstanceOf<Org.BouncyCastle.Security.Certificates.CertificateException>());
    }

    private sealed class MisSigningSigner(ICaSigner real, Org.BouncyCastle.Crypto.AsymmetricKeyParameter otherPrivate) : ICaSigner
    {
        public Org.BouncyCastle.Crypto.AsymmetricKeyParameter PublicKey => real.PublicKey;

        public string SignatureAlgorithm => real.SignatureAlgorithm;

        public CsrKeyKind KeyKind => real.KeyKind;

        public Org.BouncyCastle.Crypto.ISignatureFactory CreateSignatureFactory() =>
            new Org.BouncyCastle.Crypto.Operators.Asn1SignatureFactory(real.SignatureAlgorithm, otherPrivate);
    }
}
