using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;

namespace Acme.Bench.Mail;

/// <summary>The user domain's DKIM signing key, read from a PEM file (PKCS#8 or traditional): RSA or Ed25519.</summary>
public sealed record DkimKeyFile(AsymmetricKeyParameter PrivateKey, DkimSignatureAlgorithm Algorithm)
{
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
            RsaKeyParameters => new DkimKeyFile(key, DkimSignatureAlgorithm.RsaSha256),
            Ed25519PrivateKeyParameters => new DkimKeyFile(key, DkimSignatureAlgorithm.Ed25519Sha256),
            _ => throw new InvalidDataException($"{path}: DKIM keys are RSA (rsa-sha256) or Ed25519 (ed25519-sha256)"),
        };
    }
}
