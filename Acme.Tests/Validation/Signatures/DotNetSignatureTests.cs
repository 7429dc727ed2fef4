using Acme.Validation.Signatures;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace Acme.Tests.Validation.Signatures;

/// <summary>
/// Issue 13: signatures made and checked with .NET's OpenSSL instead of BouncyCastle's arithmetic are the ones
/// BouncyCastle makes and checks (same AlgorithmIdentifier, interchangeable signatures), and whatever .NET does not
/// handle here is left to BouncyCastle (null), never judged.
/// </summary>
public sealed class DotNetSignatureTests
{
    private static readonly byte[] Data = "tbsCertificate stand-in"u8.ToArray();

    [TestCase("P-256", "SHA256WITHECDSA")]
    [TestCase("P-384", "SHA384WITHECDSA")]
    [TestCase("P-521", "SHA512WITHECDSA")]
    [TestCase("rsa", "SHA256WITHRSA")]
    public void Factory_SignsWhatBouncyCastleVerifies_UnderTheSameAlgorithmIdentifier(string keyKind, string algorithm)
    {
        var key = NewKey(keyKind);
        using var factory = DotNetSignatureFactory.TryCreate(key.Private, algorithm);
        Assert.That(factory, Is.Not.Null);
        Assert.That(((AlgorithmIdentifier)factory!.AlgorithmDetails).GetDerEncoded(),
            Is.EqualTo(((AlgorithmIdentifier)new Asn1SignatureFactory(algorithm, key.Private).AlgorithmDetails).GetDerEncoded()));

        var signature = Sign(factory, Data);
        var verifier = SignerUtilities.GetSigner(algorithm);
        verifier.Init(false, key.Public);
        verifier.BlockUpdate(Data, 0, Data.Length);
        Assert.That(verifier.VerifySignature(signature), Is.True);
    }

    [TestCase("P-256")]
    [TestCase("P-384")]
    [TestCase("rsa")]
    public void ACaKeyReadFromPem_SignsWithDotNet(string keyKind)
    {
        var pem = Acme.Server.Issuance.PemText.PrivateKey(NewKey(keyKind).Private);
        var signer = new Acme.Server.Issuance.FileCaSigner(Acme.Server.Issuance.PemText.ReadPrivateKey(pem));
        Assert.That(signer.CreateSignatureFactory(), Is.InstanceOf<DotNetSignatureFactory>());
    }

    [Test]
    public void Factory_LeavesOtherKeysToBouncyCastle()
    {
        Assert.That(DotNetSignatureFactory.TryCreate(NewKey("ed25519").Private, "Ed25519"), Is.Null);
        Assert.That(DotNetSignatureFactory.TryCreate(NewEc(Org.BouncyCastle.Asn1.TeleTrust.TeleTrusTObjectIdentifiers.BrainpoolP256R1).Private, "SHA256WITHECDSA"),
            Is.Null, "a 256-bit curve that is not P-256");
        Assert.That(DotNetSignatureFactory.TryCreate(NewKey("P-256").Private, "SHA256WITHRSA"), Is.Null, "key and algorithm disagree");
    }

    [TestCase("P-256", "SHA256WITHECDSA")]
    [TestCase("P-384", "SHA384WITHECDSA")]
    [TestCase("P-256", "SHA512WITHECDSA")]
    [TestCase("rsa", "SHA256WITHRSA")]
    [TestCase("rsa", "SHA512WITHRSA")]
    public void Check_AgreesWithBouncyCastle(string keyKind, string algorithm)
    {
        var key = NewKey(keyKind);
        // Parsed from its DER, as a CSR arrives at finalize.
        var csr = new Pkcs10CertificationRequest(
            new Pkcs10CertificationRequest(new Asn1SignatureFactory(algorithm, key.Private), new X509Name("CN=check"), key.Public, null).GetEncoded());
        var spki = csr.GetCertificationRequestInfo().SubjectPublicKeyInfo;
        var signed = csr.GetCertificationRequestInfo().GetDerEncoded();
        var signature = csr.Signature.GetOctets();
        Assert.That(DotNetSignatureCheck.TryVerify(spki, csr.SignatureAlgorithm, signed, signature), Is.True);

        var tampered = (byte[])signed.Clone();
        tampered[^1] ^= 1;
        Assert.That(DotNetSignatureCheck.TryVerify(spki, csr.SignatureAlgorithm, tampered, signature), Is.False);

        var other = Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(NewKey(keyKind).Public);
        Assert.That(DotNetSignatureCheck.TryVerify(other, csr.SignatureAlgorithm, signed, signature), Is.False, "another key of the same kind");
    }

    [Test]
    public void OneImportedKey_ChecksSignatureAfterSignature()
    {
        var key = NewKey("P-256");
        var spki = Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key.Public);
        var algorithm = (AlgorithmIdentifier)new Asn1SignatureFactory("SHA256WITHECDSA", key.Private).AlgorithmDetails;
        using var factory = DotNetSignatureFactory.TryCreate(key.Private, "SHA256WITHECDSA")!;
        using var check = new DotNetSignatureCheck(spki);
        for (var i = 0; i < 3; i++)
        {
            var data = new byte[] { (byte)i, 1, 2, 3 };
            var signature = Sign(factory, data);
            Assert.That(check.TryVerify(algorithm, data, signature), Is.True);
            Assert.That(check.TryVerify(algorithm, [.. data, 0], signature), Is.False);
        }

        using var ed = new DotNetSignatureCheck(Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(NewKey("ed25519").Public));
        Assert.That(ed.TryVerify(new AlgorithmIdentifier(Org.BouncyCastle.Asn1.EdEC.EdECObjectIdentifiers.id_Ed25519), Data, new byte[64]), Is.Null);
    }

    [Test]
    public void Check_LeavesOtherAlgorithmsToBouncyCastle()
    {
        var rsa = NewKey("rsa");
        var pss = new Pkcs10CertificationRequest(new Asn1SignatureFactory("SHA256WITHRSAANDMGF1", rsa.Private), new X509Name("CN=pss"), rsa.Public, null);
        Assert.That(Check(pss), Is.Null, "RSA-PSS");

        var ed = NewKey("ed25519");
        Assert.That(Check(new Pkcs10CertificationRequest(new Asn1SignatureFactory("Ed25519", ed.Private), new X509Name("CN=ed"), ed.Public, null)), Is.Null);

        var ec = NewKey("P-256");
        var csr = new Pkcs10CertificationRequest(new Asn1SignatureFactory("SHA256WITHECDSA", ec.Private), new X509Name("CN=p"), ec.Public, null);
        var withNull = new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha256, DerNull.Instance);
        Assert.That(DotNetSignatureCheck.TryVerify(csr.GetCertificationRequestInfo().SubjectPublicKeyInfo, withNull,
            csr.GetCertificationRequestInfo().GetDerEncoded(), csr.Signature.GetOctets()), Is.Null, "ECDSA with parameters: BouncyCastle decides");
    }

    private static bool? Check(Pkcs10CertificationRequest csr) =>
        DotNetSignatureCheck.TryVerify(csr.GetCertificationRequestInfo().SubjectPublicKeyInfo, csr.SignatureAlgorithm,
            csr.GetCertificationRequestInfo().GetDerEncoded(), csr.Signature.GetOctets());

    private static byte[] Sign(ISignatureFactory factory, byte[] data)
    {
        var calculator = factory.CreateCalculator();
        using (var stream = calculator.Stream)
        {
            stream.Write(data);
        }

        return ((IBlockResult)calculator.GetResult()).Collect();
    }

    private static AsymmetricCipherKeyPair NewKey(string kind)
    {
        switch (kind)
        {
            case "rsa":
                var rsa = new RsaKeyPairGenerator();
                rsa.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), new SecureRandom(), 2048, 80));
                return rsa.GenerateKeyPair();
            case "ed25519":
                var ed = new Ed25519KeyPairGenerator();
                ed.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
                return ed.GenerateKeyPair();
            default:
                return NewEc(ECNamedCurveTable.GetOid(kind));
        }
    }

    private static AsymmetricCipherKeyPair NewEc(DerObjectIdentifier curve)
    {
        var ec = new ECKeyPairGenerator();
        ec.Init(new ECKeyGenerationParameters(curve, new SecureRandom()));
        return ec.GenerateKeyPair();
    }
}
