using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Acme.Server.Issuance;

/// <summary>PEM reading and writing through BouncyCastle, with "\n" line ends on every platform.</summary>
internal static class PemText
{
    public static string Certificate(X509Certificate certificate) => Write(certificate);

    public static string PrivateKey(AsymmetricKeyParameter privateKey) =>
        Write(new Pkcs8Generator(privateKey).Generate());

    /// <summary>
    /// An encrypted PKCS#8 key (RFC 5958 §3, PBES2 with AES-256-CBC and HMAC-SHA256, 600 000 iterations),
    /// which <c>openssl pkey -passin</c> reads.
    /// </summary>
    public static string EncryptedPrivateKey(AsymmetricKeyParameter privateKey, string passphrase)
    {
        // BouncyCastle's Pkcs8Generator offers only PKCS#12 PBE (3DES, RC2, RC4); .NET writes PBES2 (RFC 8018 §6.2).
        var der = PrivateKeyInfoFactory.CreatePrivateKeyInfo(privateKey).GetDerEncoded();
        using System.Security.Cryptography.AsymmetricAlgorithm algorithm = privateKey is Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters
            ? System.Security.Cryptography.RSA.Create()
            : System.Security.Cryptography.ECDsa.Create();
        algorithm.ImportPkcs8PrivateKey(der, out _);
        var pbe = new System.Security.Cryptography.PbeParameters(
            System.Security.Cryptography.PbeEncryptionAlgorithm.Aes256Cbc, System.Security.Cryptography.HashAlgorithmName.SHA256, 600_000);
        return algorithm.ExportEncryptedPkcs8PrivateKeyPem(passphrase.AsSpan(), pbe).ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>True when the PEM holds an <c>ENCRYPTED PRIVATE KEY</c> block (RFC 7468 §11).</summary>
    public static bool IsEncryptedPrivateKey(string pem) =>
        pem.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal);

    /// <summary>Decrypts an encrypted PKCS#8 PEM key with the passphrase.</summary>
    public static AsymmetricKeyParameter ReadEncryptedPrivateKey(string pem, char[] passphrase)
    {
        using var reader = new StringReader(pem);
        var block = new Org.BouncyCastle.Utilities.IO.Pem.PemReader(reader).ReadPemObject();
        if (block is null || block.Type != "ENCRYPTED PRIVATE KEY")
        {
            throw new InvalidDataException("the PEM holds no ENCRYPTED PRIVATE KEY block");
        }

        return PrivateKeyFactory.DecryptKey(passphrase, EncryptedPrivateKeyInfo.GetInstance(block.Content));
    }

    public static IReadOnlyList<X509Certificate> ReadCertificates(string pem)
    {
        var result = new List<X509Certificate>();
        using var reader = new StringReader(pem);
        var pemReader = new PemReader(reader);
        while (pemReader.ReadObject() is { } obj)
        {
            result.Add(obj as X509Certificate
                ?? throw new InvalidDataException($"the PEM holds a {obj.GetType().Name} where a certificate was expected"));
        }

        return result;
    }

    public static AsymmetricKeyParameter ReadPrivateKey(string pem)
    {
        using var reader = new StringReader(pem);
        var obj = new PemReader(reader).ReadObject();
        return obj switch
        {
            AsymmetricCipherKeyPair pair => pair.Private,
            AsymmetricKeyParameter { IsPrivate: true } key => key,
            null => throw new InvalidDataException("the file holds no PEM object"),
            _ => throw new InvalidDataException($"the PEM holds a {obj.GetType().Name}, not an unencrypted private key"),
        };
    }

    private static string Write(object obj)
    {
        using var text = new StringWriter { NewLine = "\n" };
        var writer = new PemWriter(text);
        writer.WriteObject(obj);
        writer.Writer.Flush();
        return text.ToString();
    }
}
