using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Support.Certificates;

/// <summary>
/// Builds PKCS#10 requests for tests: mailbox SANs in either form, other SAN types, a keyUsage
/// request, any subject, and optionally a foreign SubjectPublicKeyInfo (for key-rule tests).
/// </summary>
public sealed class TestCsrBuilder
{
    private static readonly DerObjectIdentifier SmtpUtf8MailboxOid = new("1.3.6.1.5.5.7.8.9");

    private readonly AsymmetricCipherKeyPair _key;
    private readonly List<GeneralName> _names = [];
    private int? _keyUsage;
    private X509Name _subject = new("CN=test");
    private SubjectPublicKeyInfo? _publicKeyInfo;

    private TestCsrBuilder(AsymmetricCipherKeyPair key) => _key = key;

    /// <summary>Starts a CSR signed by <paramref name="key"/>.</summary>
    public static TestCsrBuilder ForKey(AsymmetricCipherKeyPair key) => new(key);

    /// <summary>Adds an rfc822Name SAN.</summary>
    public TestCsrBuilder WithRfc822(string address) => WithName(new GeneralName(GeneralName.Rfc822Name, address));

    /// <summary>Adds an otherName SmtpUTF8Mailbox SAN (UTF8String).</summary>
    public TestCsrBuilder WithSmtpUtf8(string address) =>
        WithName(new GeneralName(GeneralName.OtherName, new OtherName(SmtpUtf8MailboxOid, new DerUtf8String(address))));

    /// <summary>Adds a dNSName SAN.</summary>
    public TestCsrBuilder WithDnsName(string name) => WithName(new GeneralName(GeneralName.DnsName, name));

    /// <summary>Adds any GeneralName to the SAN.</summary>
    public TestCsrBuilder WithName(GeneralName name)
    {
        _names.Add(name);
        return this;
    }

    /// <summary>Requests a keyUsage extension with BouncyCastle <see cref="KeyUsage"/> bits.</summary>
    public TestCsrBuilder WithKeyUsage(int bits)
    {
        _keyUsage = bits;
        return this;
    }

    /// <summary>Sets the subject DN (default <c>CN=test</c>).</summary>
    public TestCsrBuilder WithSubject(string subject)
    {
        _subject = new X509Name(subject);
        return this;
    }

    /// <summary>Puts this SubjectPublicKeyInfo in the CSR instead of the signing key's (signature then fails).</summary>
    public TestCsrBuilder WithPublicKeyInfo(SubjectPublicKeyInfo publicKeyInfo)
    {
        _publicKeyInfo = publicKeyInfo;
        return this;
    }

    /// <summary>Builds and signs the CSR; returns its DER.</summary>
    public byte[] Build()
    {
        var extensions = new X509ExtensionsGenerator();
        if (_names.Count > 0)
        {
            extensions.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(_names.ToArray()));
        }

        if (_keyUsage is { } bits)
        {
            extensions.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(bits));
        }

        var attributes = extensions.IsEmpty
            ? new DerSet()
            : new DerSet(new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(extensions.Generate())));

        var spki = _publicKeyInfo ?? SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(_key.Public);
        var factory = new Asn1SignatureFactory(SignatureAlgorithm(_key.Private), _key.Private, new SecureRandom());
        return new Pkcs10CertificationRequest(factory, _subject, spki, attributes).GetEncoded();
    }

    /// <summary>
    /// A fresh key pair: "rsa2048", "rsa3072", "rsa1024", "rsa2052" (not a multiple of 8), "rsa-e3"
    /// (exponent 3), "p256", "p384", "p521", "ed25519", "ed448", "secp256k1", "brainpool256", "dsa".
    /// </summary>
    public static AsymmetricCipherKeyPair NewKey(string kind)
    {
        var random = new SecureRandom();
        switch (kind)
        {
            case "rsa2048": return Rsa(2048, BigInteger.ValueOf(65537), random);
            case "rsa3072": return Rsa(3072, BigInteger.ValueOf(65537), random);
            case "rsa1024": return Rsa(1024, BigInteger.ValueOf(65537), random);
            case "rsa2052": return Rsa(2052, BigInteger.ValueOf(65537), random);
            case "rsa-e3": return Rsa(2048, BigInteger.Three, random);
            case "p256": return Ec("P-256", random);
            case "p384": return Ec("P-384", random);
            case "p521": return Ec("P-521", random);
            case "secp256k1": return Ec("secp256k1", random);
            case "brainpool256": return Ec("brainpoolP256r1", random);
            case "ed25519":
                {
                    var generator = new Ed25519KeyPairGenerator();
                    generator.Init(new Ed25519KeyGenerationParameters(random));
                    return generator.GenerateKeyPair();
                }

            case "ed448":
                {
                    var generator = new Ed448KeyPairGenerator();
                    generator.Init(new Ed448KeyGenerationParameters(random));
                    return generator.GenerateKeyPair();
                }

            case "dsa":
                {
                    var parameters = new DsaParametersGenerator();
                    parameters.Init(1024, 80, random);
                    var generator = new DsaKeyPairGenerator();
                    generator.Init(new DsaKeyGenerationParameters(random, parameters.GenerateParameters()));
                    return generator.GenerateKeyPair();
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown test key kind");
        }
    }

    /// <summary>The signature algorithm a test CSR uses for a private key.</summary>
    public static string SignatureAlgorithm(AsymmetricKeyParameter privateKey) => privateKey switch
    {
        RsaKeyParameters => "SHA256WITHRSA",
        ECPrivateKeyParameters ec when ec.Parameters.Curve.FieldSize > 384 => "SHA512WITHECDSA",
        ECPrivateKeyParameters ec when ec.Parameters.Curve.FieldSize > 256 => "SHA384WITHECDSA",
        ECPrivateKeyParameters => "SHA256WITHECDSA",
        Ed25519PrivateKeyParameters => "Ed25519",
        Ed448PrivateKeyParameters => "Ed448",
        DsaPrivateKeyParameters => "SHA256WITHDSA",
        _ => throw new ArgumentOutOfRangeException(nameof(privateKey), privateKey.GetType().Name, "no test signature algorithm"),
    };

    private static AsymmetricCipherKeyPair Rsa(int bits, BigInteger exponent, SecureRandom random)
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new RsaKeyGenerationParameters(exponent, random, bits, 80));
        return generator.GenerateKeyPair();
    }

    private static AsymmetricCipherKeyPair Ec(string curve, SecureRandom random)
    {
        var oid = ECNamedCurveTable.GetOid(curve) ?? throw new ArgumentOutOfRangeException(nameof(curve), curve, "unknown curve");
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(oid, random));
        return generator.GenerateKeyPair();
    }
}
