using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using MimeKit.Cryptography;

namespace Acme.Tests.Support.Mail;

/// <summary>A DKIM signing key and its TXT record value.</summary>
public sealed class DkimTestKey
{
    private static readonly Lazy<DkimTestKey> Rsa2048Lazy = new(() => NewRsa(2048));
    private static readonly Lazy<DkimTestKey> Ed25519Lazy = new(NewEd25519);
    private static readonly Lazy<DkimTestKey> Rsa768Lazy = new(() => NewRsa(768));
    private static readonly Lazy<DkimTestKey> FixtureLazy = new(LoadFixtureKey);

    private DkimTestKey(AsymmetricKeyParameter privateKey, DkimSignatureAlgorithm algorithm, string txtRecord)
    {
        PrivateKey = privateKey;
        Algorithm = algorithm;
        TxtRecord = txtRecord;
    }

    /// <summary>An RSA 2048 key generated once per run.</summary>
    public static DkimTestKey Rsa2048 => Rsa2048Lazy.Value;

    /// <summary>An Ed25519 key generated once per run.</summary>
    public static DkimTestKey Ed25519 => Ed25519Lazy.Value;

    /// <summary>A too-short RSA key (768 bits) generated once per run.</summary>
    public static DkimTestKey Rsa768 => Rsa768Lazy.Value;

    /// <summary>The committed RSA key that signed the <c>.eml</c> fixtures (TestData/dkim/fixture-rsa.pem).</summary>
    public static DkimTestKey Fixture => FixtureLazy.Value;

    /// <summary>The private key.</summary>
    public AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>The natural DKIM algorithm of the key.</summary>
    public DkimSignatureAlgorithm Algorithm { get; }

    /// <summary>The TXT record value publishing the public key.</summary>
    public string TxtRecord { get; }

    /// <summary>The path of a file under the test output's TestData folder.</summary>
    public static string TestDataPath(params string[] parts) =>
        Path.Combine([TestContext.CurrentContext.TestDirectory, "TestData", .. parts]);

    private static DkimTestKey NewRsa(int bits)
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new KeyGenerationParameters(new SecureRandom(), bits));
        var pair = generator.GenerateKeyPair();
        return FromRsa(pair.Private, pair.Public);
    }

    private static DkimTestKey FromRsa(AsymmetricKeyParameter privateKey, AsymmetricKeyParameter publicKey)
    {
        var spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(publicKey).GetDerEncoded();
        return new DkimTestKey(privateKey, DkimSignatureAlgorithm.RsaSha256, "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(spki));
    }

    private static DkimTestKey NewEd25519()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var raw = ((Ed25519PublicKeyParameters)pair.Public).GetEncoded();

        // RFC 8463 §4: the p= value of an ed25519 key is the raw 32-byte public key.
        return new DkimTestKey(pair.Private, DkimSignatureAlgorithm.Ed25519Sha256, "v=DKIM1; k=ed25519; p=" + Convert.ToBase64String(raw));
    }

    private static DkimTestKey LoadFixtureKey()
    {
        using var reader = File.OpenText(TestDataPath("dkim", "fixture-rsa.pem"));
        var pem = new PemReader(reader).ReadObject();
        var privateKey = pem switch
        {
            AsymmetricCipherKeyPair pair => pair.Private,
            AsymmetricKeyParameter single => single,
            _ => throw new InvalidDataException("fixture-rsa.pem holds no private key"),
        };
        var rsa = (RsaPrivateCrtKeyParameters)privateKey;
        var txt = File.ReadAllText(TestDataPath("dkim", "fixture-rsa.txt")).Trim();
        var key = FromRsa(rsa, new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent));
        return txt == key.TxtRecord
            ? key
            : throw new InvalidDataException("fixture-rsa.txt does not publish the key in fixture-rsa.pem");
    }
}
