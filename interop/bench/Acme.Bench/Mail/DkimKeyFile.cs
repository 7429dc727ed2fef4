using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;

namespace Acme.Bench.Mail;

/// <summary>
/// The user domain's DKIM signing key, read from a PEM file (PKCS#8 or traditional): RSA or Ed25519. An RSA key
/// is also loaded into .NET (<see cref="Rsa"/>), which signs it far faster than BouncyCastle.
/// </summary>
public sealed record DkimKeyFile(AsymmetricKeyParameter PrivateKey, DkimSignatureAlgorithm Algorithm, System.Security.Cryptography.RSA? Rsa = null)
{
    /// <summary>One signature at a time with <see cref="Rsa"/>: .NET does not promise that a key object signs on two threads at once.</summary>
    public Lock RsaGate { get; } = new();

    /// <summary>Reads the key; the algorithm follows from the key type.</summary>
    public static DkimKeyFile Load(string path)
    {
        using var reader = File.OpenText(path);
        var key = new PemReader(reader).ReadObject() switch
        {
            AsymmetricCipherKeyPair pair => pair.Private,
            AsymmetricKeyParameter single when single.IsPrivate => single,
            _ => throw new InvalidDataException($"{path} holds no private key"),
        };
        return key switch
        {
            RsaKeyParameters => new DkimKeyFile(key, DkimSignatureAlgorithm.RsaSha256, LoadRsa(path)),
            Ed25519PrivateKeyParameters => new DkimKeyFile(key, DkimSignatureAlgorithm.Ed25519Sha256),
            _ => throw new InvalidDataException($"{path}: DKIM keys are RSA (rsa-sha256) or Ed25519 (ed25519-sha256)"),
        };
    }

    private static System.Security.Cryptography.RSA LoadRsa(string path)
    {
        var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(path));
        return rsa;
    }
}
