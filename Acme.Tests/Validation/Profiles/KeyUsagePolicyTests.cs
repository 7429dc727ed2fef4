using Acme.Validation.Csr;
using Acme.Validation.Outcomes;
using Acme.Validation.Profiles;
using Org.BouncyCastle.Asn1.X509;

namespace Acme.Tests.Validation.Profiles;

[TestFixture]
public sealed class KeyUsagePolicyTests
{
    // SBR §7.1.2.3(e), every row and column, both profiles.
    [TestCase(CsrKeyKind.Rsa, RequestedKeyUsage.Signing, KeyUsage.DigitalSignature)]
    [TestCase(CsrKeyKind.Rsa, RequestedKeyUsage.Encryption, KeyUsage.KeyEncipherment)]
    [TestCase(CsrKeyKind.Rsa, RequestedKeyUsage.Dual, KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment)]
    [TestCase(CsrKeyKind.EcP256, RequestedKeyUsage.Signing, KeyUsage.DigitalSignature)]
    [TestCase(CsrKeyKind.EcP256, RequestedKeyUsage.Encryption, KeyUsage.KeyAgreement)]
    [TestCase(CsrKeyKind.EcP256, RequestedKeyUsage.Dual, KeyUsage.DigitalSignature | KeyUsage.KeyAgreement)]
    [TestCase(CsrKeyKind.EcP384, RequestedKeyUsage.Signing, KeyUsage.DigitalSignature)]
    [TestCase(CsrKeyKind.EcP384, RequestedKeyUsage.Encryption, KeyUsage.KeyAgreement)]
    [TestCase(CsrKeyKind.EcP384, RequestedKeyUsage.Dual, KeyUsage.DigitalSignature | KeyUsage.KeyAgreement)]
    [TestCase(CsrKeyKind.EcP521, RequestedKeyUsage.Signing, KeyUsage.DigitalSignature)]
    [TestCase(CsrKeyKind.EcP521, RequestedKeyUsage.Encryption, KeyUsage.KeyAgreement)]
    [TestCase(CsrKeyKind.EcP521, RequestedKeyUsage.Dual, KeyUsage.DigitalSignature | KeyUsage.KeyAgreement)]
    [TestCase(CsrKeyKind.Ed25519, RequestedKeyUsage.Signing, KeyUsage.DigitalSignature)]
    public void Decide_PossibleCombination_ReturnsTableBits(CsrKeyKind kind, RequestedKeyUsage usage, int expected)
    {
        foreach (var profile in CertificateProfiles.All)
        {
            var outcome = KeyUsagePolicy.Decide(kind, usage, profile);

            Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
            Assert.That(outcome.Value, Is.EqualTo(expected), profile.Name);
        }
    }

    [TestCase(RequestedKeyUsage.Encryption)]
    [TestCase(RequestedKeyUsage.Dual)]
    public void Decide_Ed25519WithEncryption_BadCsr(RequestedKeyUsage usage)
    {
        var outcome = KeyUsagePolicy.Decide(CsrKeyKind.Ed25519, usage, CertificateProfiles.Default);

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.BadCsr));
        Assert.That(outcome.Failure!.Detail, Does.Contain("Ed25519 keys can only sign"));
    }

    [Test]
    public void Decide_AnyCombination_NeverSetsNonRepudiation()
    {
        foreach (var kind in Enum.GetValues<CsrKeyKind>())
        {
            foreach (var usage in Enum.GetValues<RequestedKeyUsage>())
            {
                var outcome = KeyUsagePolicy.Decide(kind, usage, CertificateProfiles.MailboxMultipurpose);
                if (outcome.IsSuccess)
                {
                    Assert.That(outcome.Value & (KeyUsage.NonRepudiation | KeyUsage.DataEncipherment), Is.Zero, $"{kind} {usage}");
                }
            }
        }
    }
}
