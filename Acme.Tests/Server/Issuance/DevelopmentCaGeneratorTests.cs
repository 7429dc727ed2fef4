using System.Runtime.Versioning;
using Acme.Server.Issuance;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Server.Issuance;

[TestFixture]
[Platform(Exclude = "Win")]
[UnsupportedOSPlatform("windows")]
public sealed class DevelopmentCaGeneratorTests
{
    private IssuanceTestCa _ca = null!;

    [OneTimeSetUp]
    public void CreateCa() => _ca = new IssuanceTestCa();

    [OneTimeTearDown]
    public void DeleteCa() => _ca.Dispose();

    [TestCase("root.key")]
    [TestCase("issuing.key")]
    public void LoadOrCreate_FirstCall_WritesKeyOwnerOnly(string file)
    {
        var mode = File.GetUnixFileMode(Path.Combine(_ca.Directory, file));

        Assert.That(mode, Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void LoadOrCreate_FirstCall_DirectoryIsOwnerOnly()
    {
        Assert.That(File.GetUnixFileMode(_ca.Directory),
            Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }

    [Test]
    public void LoadOrCreate_SecondCall_LoadsTheSameCa()
    {
        var again = DevelopmentCaGenerator.LoadOrCreate(_ca.Directory, new FakeTimeProvider(IssuanceTestCa.Start.AddDays(3)));

        Assert.That(again.Certificate.GetEncoded(), Is.EqualTo(_ca.Material.Certificate.GetEncoded()));
        Assert.That(again.ChainAbove.Single().GetEncoded(), Is.EqualTo(_ca.Material.ChainAbove.Single().GetEncoded()));
        Assert.That(again.SubjectKeyIdentifier, Is.EqualTo(_ca.Material.SubjectKeyIdentifier));
        Assert.That(again.ChainPem, Is.EqualTo(_ca.Material.ChainPem));
    }

    [Test]
    public void LoadOrCreate_IncompleteDirectory_ThrowsNamingMissingFile()
    {
        using var other = new IssuanceTestCa();
        File.Delete(Path.Combine(other.Directory, "root.key"));

        Assert.That(() => DevelopmentCaGenerator.LoadOrCreate(other.Directory, other.Time),
            Throws.InvalidOperationException.With.Message.Contains("root.key"));
    }

    [Test]
    public void LoadOrCreate_IssuingCa_HasSubordinateProfile()
    {
        var issuing = _ca.Material.Certificate;
        var extensions = issuing.CertificateStructure.TbsCertificate.Extensions;

        Assert.Multiple(() =>
        {
            var bc = extensions.GetExtension(X509Extensions.BasicConstraints)!;
            Assert.That(bc.IsCritical, Is.True);
            Assert.That(BasicConstraints.GetInstance(bc.GetParsedValue()).IsCA(), Is.True);
            Assert.That(BasicConstraints.GetInstance(bc.GetParsedValue()).PathLenConstraint.IntValue, Is.Zero);

            var ku = extensions.GetExtension(X509Extensions.KeyUsage)!;
            Assert.That(ku.IsCritical, Is.True);
            Assert.That(KeyUsage.GetInstance(ku.GetParsedValue()).IntValue, Is.EqualTo(KeyUsage.KeyCertSign | KeyUsage.CrlSign));

            // SBR §7.1.2.2: certificatePolicies with the reserved S/MIME OIDs, cRLDistributionPoints and AIA over HTTP.
            var policies = extensions.GetExtension(X509Extensions.CertificatePolicies);
            Assert.That(policies?.IsCritical, Is.False);
            Assert.That(CertificatePolicies.GetInstance(policies!.GetParsedValue()).GetPolicyInformation().Select(p => p.PolicyIdentifier.Id),
                Is.EqualTo(new[] { "2.23.140.1.5.1.2", "2.23.140.1.5.1.3" }));
            var crl = CrlDistPoint.GetInstance(extensions.GetExtensionParsedValue(X509Extensions.CrlDistributionPoints));
            Assert.That(crl.GetDistributionPoints().Single().DistributionPointName.Name.ToString(), Does.Contain("http://"));
            var aia = AuthorityInformationAccess.GetInstance(extensions.GetExtensionParsedValue(X509Extensions.AuthorityInfoAccess));
            Assert.That(aia.GetAccessDescriptions().Single().AccessMethod, Is.EqualTo(AccessDescription.IdADCAIssuers));

            Assert.That(ExtendedKeyUsage.GetInstance(extensions.GetExtensionParsedValue(X509Extensions.ExtendedKeyUsage))
                .GetAllUsages().Select(u => u.Id), Is.EqualTo(new[] { "1.3.6.1.5.5.7.3.4" }));

            var aki = AuthorityKeyIdentifier.GetInstance(extensions.GetExtensionParsedValue(X509Extensions.AuthorityKeyIdentifier));
            Assert.That(aki.AuthorityCertIssuer, Is.Null);
            Assert.That(aki.KeyIdentifier.GetOctets(), Is.EqualTo(SubjectKeyIdentifier.GetInstance(
                _ca.Material.ChainAbove[0].CertificateStructure.TbsCertificate.Extensions
                    .GetExtensionParsedValue(X509Extensions.SubjectKeyIdentifier)).GetKeyIdentifier()));

            Assert.That(issuing.NotAfter - issuing.NotBefore, Is.EqualTo(TimeSpan.FromDays(365 * 5 + 1)).Within(TimeSpan.FromDays(1)));
            Assert.That(_ca.Material.ChainAbove[0].SubjectDN.ToString(), Is.EqualTo("CN=Acme S/MIME Development Root,O=Development only"));
        });
    }

    [Test]
    public void LoadOrCreate_RootAndIssuing_OpenSslVerifiesIssuingCa()
    {
        var (exitCode, output) = Support.OpenSsl.Run("verify", "-x509_strict", "-attime", _ca.AtTime,
            "-CAfile", Path.Combine(_ca.Directory, "root.pem"), Path.Combine(_ca.Directory, "issuing.pem"));

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output.TrimEnd(), Does.EndWith("OK"));
    }

    [Test]
    public void LoadOrCreate_ChainPem_IsIssuingThenRoot()
    {
        var certificates = new X509CertificateParser().ReadCertificates(System.Text.Encoding.ASCII.GetBytes(_ca.Material.ChainPem));

        Assert.That(certificates.Select(c => c.SubjectDN.ToString()), Is.EqualTo(new[]
        {
            "CN=Acme S/MIME Development Issuing CA,O=Development only", "CN=Acme S/MIME Development Root,O=Development only",
        }));
    }
}
