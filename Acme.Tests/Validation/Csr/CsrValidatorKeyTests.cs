using Acme.Tests.Support.Certificates;
using Acme.Validation.Csr;
using Acme.Validation.Identifiers;
using Acme.Validation.Outcomes;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Validation.Csr;

[TestFixture]
public sealed class CsrValidatorKeyTests
{
    private const string Address = "alice@example.test";

    private static IReadOnlyCollection<NormalizedMailbox> Order => [MailboxNormalizer.Normalize(Address).Value!];

    private static ValidationOutcome<ValidatedCsr> Validate(byte[] der, CsrPolicy? policy = null) =>
        new CsrValidator(policy).Validate(der, Order, accountKeySpkiDer: null);

    private static SubjectPublicKeyInfo RsaSpki(BigInteger modulus, BigInteger exponent) =>
        new(new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance), new RsaPublicKeyStructure(modulus, exponent));

    [TestCase("rsa2048", CsrKeyKind.Rsa, 2048)]
    [TestCase("rsa3072", CsrKeyKind.Rsa, 3072)]
    [TestCase("p256", CsrKeyKind.EcP256, 256)]
    [TestCase("p384", CsrKeyKind.EcP384, 384)]
    [TestCase("p521", CsrKeyKind.EcP521, 521)]
    [TestCase("ed25519", CsrKeyKind.Ed25519, 256)]
    public void Validate_AcceptedKeyType_SucceedsWithKindAndSize(string kind, CsrKeyKind expectedKind, int expectedBits)
    {
        var key = TestKeys.Get(kind);
        var der = TestCsrBuilder.ForKey(key).WithRfc822(Address).WithKeyUsage(KeyUsage.DigitalSignature).Build();

        var outcome = Validate(der);

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
        Assert.That(outcome.Value!.KeyKind, Is.EqualTo(expectedKind));
        Assert.That(outcome.Value.KeySizeBits, Is.EqualTo(expectedBits));
        Assert.That(outcome.Value.SubjectPublicKeyInfoDer,
            Is.EqualTo(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key.Public).GetDerEncoded()));
        Assert.That(outcome.Value.Mailboxes.Select(m => m.Address), Is.EqualTo(new[] { Address }));
    }

    [TestCase("rsa1024", "at least 2048")]
    [TestCase("rsa2052", "not a multiple of 8")]
    [TestCase("rsa-e3", "exponent 3 is outside")]
    [TestCase("secp256k1", "secp256k1")]
    [TestCase("brainpool256", "brainpoolP256r1")]
    [TestCase("ed448", "Ed448")]
    [TestCase("dsa", "DSA")]
    public void Validate_RefusedKey_BadCsrNamingTheProblem(string kind, string expectedDetail)
    {
        var der = TestCsrBuilder.ForKey(TestKeys.Get(kind)).WithRfc822(Address).WithKeyUsage(KeyUsage.DigitalSignature).Build();

        var outcome = Validate(der);

        Assert.That(outcome.IsSuccess, Is.False);
        Assert.That(outcome.Failure!.Kind, Is.EqualTo(FailureKind.BadCsr));
        Assert.That(outcome.Failure.Detail, Does.Contain(expectedDetail));
    }

    [Test]
    public void Validate_RsaLargerThanPolicyMaximum_BadCsr()
    {
        var der = TestCsrBuilder.ForKey(TestKeys.Get("rsa3072")).WithRfc822(Address).Build();

        var outcome = Validate(der, new CsrPolicy { MaximumRsaBits = 2048 });

        Assert.That(outcome.Failure?.Detail, Does.Contain("at most 2048"));
    }

    [TestCase(65536, "even")]
    [TestCase(65535, "outside the range")]
    public void Validate_RsaExponentBreaksRule_BadCsr(int exponent, string expectedDetail)
    {
        var rsa = (RsaKeyParameters)TestKeys.Get("rsa2048").Public;
        var spki = RsaSpki(rsa.Modulus, BigInteger.ValueOf(exponent));
        var der = TestCsrBuilder.ForKey(TestKeys.Get("rsa2048")).WithRfc822(Address).WithPublicKeyInfo(spki).Build();

        var outcome = Validate(der);

        Assert.That(outcome.Failure?.Detail, Does.Contain(expectedDetail));
    }

    [Test]
    public void Validate_RsaExponentAbove2To256_BadCsr()
    {
        var rsa = (RsaKeyParameters)TestKeys.Get("rsa2048").Public;
        var huge = BigInteger.Two.Pow(256).Add(BigInteger.One);
        var spki = RsaSpki(rsa.Modulus, huge);
        var der = TestCsrBuilder.ForKey(TestKeys.Get("rsa2048")).WithRfc822(Address).WithPublicKeyInfo(spki).Build();

        Assert.That(Validate(der).Failure?.Detail, Does.Contain("2^256-1"));
    }

    [Test]
    public void Validate_EcKeyWithExplicitParameters_BadCsr()
    {
        var key = TestKeys.Get("p256");
        var ec = (ECPublicKeyParameters)key.Public;
        var x9 = ECNamedCurveTable.GetByName("P-256");
        var spki = new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, new X962Parameters(x9)),
            ec.Q.GetEncoded(false));
        var der = TestCsrBuilder.ForKey(key).WithRfc822(Address).WithPublicKeyInfo(spki).Build();

        Assert.That(Validate(der).Failure?.Detail, Does.Contain("explicit"));
    }

    [Test]
    public void Validate_EcPointNotOnCurve_BadCsr()
    {
        var key = TestKeys.Get("p256");
        var point = ((ECPublicKeyParameters)key.Public).Q.GetEncoded(false);
        point[^1] ^= 0x01;
        var spki = new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, new X962Parameters(ECNamedCurveTable.GetOid("P-256"))),
            point);
        var der = TestCsrBuilder.ForKey(key).WithRfc822(Address).WithPublicKeyInfo(spki).Build();

        var outcome = Validate(der);

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.BadCsr));
        Assert.That(outcome.Failure!.Detail, Does.Contain("EC"));
    }

    [Test]
    public void Validate_SignatureByAnotherKey_BadCsr()
    {
        var other = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(TestKeys.Get("p384").Public);
        var der = TestCsrBuilder.ForKey(TestCsrBuilder.NewKey("p384")).WithRfc822(Address).WithPublicKeyInfo(other).Build();

        Assert.That(Validate(der).Failure?.Detail, Does.Contain("signature does not verify"));
    }

    [Test]
    public void Validate_TamperedSignature_BadCsr()
    {
        var der = TestCsrBuilder.ForKey(TestKeys.Get("rsa2048")).WithRfc822(Address).Build();
        der[^1] ^= 0xFF;

        Assert.That(Validate(der).Failure?.Detail, Does.Contain("signature"));
    }

    [TestCase(new byte[0])]
    [TestCase(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 })]
    [TestCase(new byte[] { 0xFF, 0x00, 0x13 })]
    public void Validate_NotAPkcs10Request_BadCsr(byte[] der)
    {
        var outcome = Validate(der);

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.BadCsr));
    }

    [Test]
    public void Validate_TruncatedRequest_BadCsr()
    {
        var der = TestCsrBuilder.ForKey(TestKeys.Get("p256")).WithRfc822(Address).Build();

        Assert.That(Validate(der[..(der.Length / 2)]).Failure?.Kind, Is.EqualTo(FailureKind.BadCsr));
    }

    [Test]
    public void Validate_KeyEqualsAccountKey_BadCsr()
    {
        var key = TestKeys.Get("p256");
        var der = TestCsrBuilder.ForKey(key).WithRfc822(Address).Build();
        var accountSpki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key.Public).GetDerEncoded();

        var outcome = new CsrValidator().Validate(der, Order, accountSpki);

        Assert.That(outcome.Failure?.Detail, Is.EqualTo("the CSR reuses the ACME account key"));
    }

    [Test]
    public void Validate_KeyDiffersFromAccountKey_Succeeds()
    {
        var der = TestCsrBuilder.ForKey(TestKeys.Get("p256")).WithRfc822(Address).Build();
        var accountSpki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(TestKeys.Get("p384").Public).GetDerEncoded();

        Assert.That(new CsrValidator().Validate(der, Order, accountSpki).IsSuccess, Is.True);
    }

    [Test]
    public void Validate_SubjectFullOfForbiddenAttributes_IsIgnored()
    {
        var der = TestCsrBuilder.ForKey(TestKeys.Get("p256")).WithRfc822(Address)
            .WithSubject("CN=someone else, O=Evil Corp, OU=Sales, C=XX, E=bob@other.test").Build();

        Assert.That(Validate(der).IsSuccess, Is.True);
    }
}
