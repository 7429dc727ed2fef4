using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Acme.Email.Dkim;

/// <summary>Loads, creates and describes DKIM private keys (PEM files).</summary>
internal static class DkimKeys
{
    /// <summary>Reads a PEM private key (PKCS#8 RSA or Ed25519, or PKCS#1 RSA).</summary>
    public static AsymmetricKeyParameter LoadPrivateKey(string path)
    {
        using var reader = new StreamReader(path);
        var pem = new PemReader(reader);
        var obj = pem.ReadObject();
        var key = obj switch
        {
            AsymmetricCipherKeyPair pair => pair.Private,
            AsymmetricKeyParameter { IsPrivate: true } parameter => parameter,
            _ => null,
        };
        return key ?? throw new InvalidOperationException($"{path} holds no PEM private key.");
    }

    /// <summary>Checks that <paramref name="key"/> fits <paramref name="algorithm"/>.</summary>
    public static void CheckAlgorithm(AsymmetricKeyParameter key, string algorithm, string path)
    {
        var fits = algorithm switch
        {
            DkimSigningOptions.RsaSha256 => key is RsaKeyParameters { Modulus.BitLength: >= 1024 },
            DkimSigningOptions.Ed25519Sha256 => key is Ed25519PrivateKeyParameters,
            _ => throw new InvalidOperationException($"Unknown DKIM algorithm '{algorithm}'."),
        };
        if (!fits)
        {
            throw new InvalidOperationException($"The key in {path} does not fit DKIM algorithm '{algorithm}' (RSA needs at least 1024 bits).");
        }
    }

    /// <summary>The DKIM TXT value for the public half of <paramref name="key"/>.</summary>
    public static string TxtValue(AsymmetricKeyParameter key) => key switch
    {
        RsaPrivateCrtKeyParameters rsa => "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(
            SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent)).GetDerEncoded()),
        RsaKeyParameters { IsPrivate: false } rsa => "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(
            SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(rsa).GetDerEncoded()),
        // RFC 8463 §4.2: p= is the raw 32-byte Ed25519 public key, not an SPKI
        Ed25519PrivateKeyParameters ed => "v=DKIM1; k=ed25519; p=" + Convert.ToBase64String(ed.GeneratePublicKey().GetEncoded()),
        _ => throw new InvalidOperationException("Only RSA (with CRT parameters) and Ed25519 private keys are supported."),
    };

    /// <summary>Creates a new private key for <paramref name="algorithm"/>.</summary>
    public static AsymmetricKeyParameter Generate(string algorithm)
    {
        var random = new SecureRandom();
        IAsymmetricCipherKeyPairGenerator generator;
        KeyGenerationParameters parameters;
        switch (algorithm)
        {
            case DkimSigningOptions.RsaSha256:
                generator = new RsaKeyPairGenerator();
                parameters = new KeyGenerationParameters(random, 2048);
                break;
            case DkimSigningOptions.Ed25519Sha256:
                generator = new Ed25519KeyPairGenerator();
                parameters = new Ed25519KeyGenerationParameters(random);
                break;
            default:
                throw new ArgumentException($"DKIM algorithm must be '{DkimSigningOptions.RsaSha256}' or '{DkimSigningOptions.Ed25519Sha256}'.", nameof(algorithm));
        }

        generator.Init(parameters);
        return generator.GenerateKeyPair().Private;
    }

    /// <summary>Writes <paramref name="key"/> as PKCS#8 PEM to a new file readable by the owner only.</summary>
    public static void WriteNewKeyFile(string path, AsymmetricKeyParameter key)
    {
        PrivateKeyInfo info = PrivateKeyInfoFactory.CreatePrivateKeyInfo(key);
        var pem = PemEncoding.Write("PRIVATE KEY", info.GetDerEncoded());
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            // Owner-only before any key byte is written, whatever the umask.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        using var writer = new StreamWriter(stream);
        writer.Write(pem);
        writer.Write('\n');
    }
}
