using Acme.Tests.Support.Certificates;
using Acme.Validation.Csr;
using Acme.Validation.Identifiers;
using Acme.Validation.Outcomes;
using Org.BouncyCastle.Asn1.X509;

namespace Acme.Tests.Validation.Csr;

[TestFixture]
public sealed class CsrValidatorKeyUsageTests
{
    private const int None = -1;
    private const string Address = "alice@example.test";

    private static ValidationOutcome<ValidatedCsr> Validate(string kind, int bits)
    {
        var builder = TestCsrBuilder.ForKey(TestKeys.Get(kind)).WithRfc822(Address);
        if (bits != None)
        {
            builder.WithKeyUsage(bits);
        }

        return new CsrValidator().Validate(builder.Build(), [MailboxNormalizer.Normalize(Address).Value!], null);
    }

    // RFC 8823 §3.3 classes.
    [TestCase("rsa2048", KeyUsage.DigitalSignature, RequestedKeyUsage.Signing)]
    [TestCase("rsa2048", KeyUsage.NonRepudiation, RequestedKeyUsage.Signing)]
    [TestCase("rsa2048", KeyUsage.DigitalSignature | KeyUsage.NonRepudiation, RequestedKeyUsage.Signing)]
    [TestCase("rsa2048", KeyUsage.KeyEncipherment, RequestedKeyUsage.Encryption)]
    [TestCase("rsa2048", KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment, RequestedKeyUsage.Dual)]
    [TestCase("rsa2048", KeyUsage.NonRepudiation | KeyUsage.KeyEncipherment, RequestedKeyUsage.Dual)]
    [TestCase("rsa2048", None, RequestedKeyUsage.Dual)]
    [TestCase("p256", KeyUsage.DigitalSignature, RequestedKeyUsage.Signing)]
    [TestCase("p256", KeyUsage.KeyAgreement, RequestedKeyUsage.Encryption)]
    [TestCase("p384", KeyUsage.DigitalSignature | KeyUsage.KeyAgreement, RequestedKeyUsage.Dual)]
    [TestCase("p521", None, RequestedKeyUsage.Dual)]
    [TestCase("ed25519", KeyUsage.DigitalSignature, RequestedKeyUsage.Signing)]
    [TestCase("ed25519", KeyUsage.NonRepudiation, RequestedKeyUsage.Signing)]
    [TestCase("ed25519", None, RequestedKeyUsage.Signing)] // no request: the only usage the key has
    public void Validate_KeyUsageRequest_MapsToUsageClass(string kind, int bits, RequestedKeyUsage expected)
    {
        var outcome = Validate(kind, bits);

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
        Assert.That(outcome.Value!.Usage, Is.EqualTo(expected));
    }

    [TestCase("rsa2048", KeyUsage.KeyCertSign, "keyCertSign")]
    [TestCase("rsa2048", KeyUsage.CrlSign, "cRLSign")]
    [TestCase("rsa2048", KeyUsage.DataEncipherment, "dataEncipherment")]
    [TestCase("rsa2048", KeyUsage.DigitalSignature | KeyUsage.KeyCertSign, "keyCertSign")]
    [TestCase("p256", KeyUsage.KeyAgreement | KeyUsage.EncipherOnly, "encipherOnly")]
    [TestCase("rsa2048", 0, "no bit")]
    [TestCase("ed25519", KeyUsage.KeyEncipherment, "Ed25519 keys can only sign")]
    [TestCase("ed25519", KeyUsage.KeyAgreement, "Ed25519 keys can only sign")]
    [TestCase("ed25519", KeyUsage.DigitalSignature | KeyUsage.KeyAgreement, "Ed25519 keys can only sign")]
    public void Validate_ImpossibleKeyUsageRequest_BadCsr(string kind, int bits, string expectedDetail)
    {
        var outcome = Validate(kind, bits);

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.BadCsr));
        Assert.That(outcome.Failure!.Detail, Does.Contain(expectedDetail));
    }

    // RFC 8823 §3.3: keyEncipherment or keyAgreement asks for encryption; the bit the key type uses is issued.
    [TestCase("p256", KeyUsage.KeyEncipherment, RequestedKeyUsage.Encryption, "issued as keyAgreement")]
    [TestCase("p384", KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment, RequestedKeyUsage.Dual, "issued as keyAgreement")]
    [TestCase("rsa2048", KeyUsage.KeyAgreement, RequestedKeyUsage.Encryption, "issued as keyEncipherment")]
    [TestCase("rsa2048", KeyUsage.DigitalSignature | KeyUsage.KeyAgreement, RequestedKeyUsage.Dual, "issued as keyEncipherment")]
    public void Validate_OtherEncryptionBit_MappedAndNoted(string kind, int bits, RequestedKeyUsage expected, string note)
    {
        var outcome = Validate(kind, bits);

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
        Assert.That(outcome.Value!.Usage, Is.EqualTo(expected));
        Assert.That(outcome.Value.UsageMapping, Does.Contain(note));
    }

    [TestCase("p256", KeyUsage.KeyAgreement)]
    [TestCase("rsa2048", KeyUsage.KeyEncipherment)]
    [TestCase("p256", KeyUsage.DigitalSignature)]
    public void Validate_NativeBits_NoMappingNote(string kind, int bits) =>
        Assert.That(Validate(kind, bits).Value!.UsageMapping, Is.Null);
}
