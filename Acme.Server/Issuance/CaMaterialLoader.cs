using Acme.Email.Pkcs11;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;

namespace Acme.Server.Issuance;

/// <summary>
/// Loads the production issuing CA: the certificate from <see cref="IssuanceOptions.CaCertificatePath"/> and the key
/// from a PEM file (optionally passphrase-encrypted PKCS#8) or a PKCS#11 token.
/// </summary>
public static class CaMaterialLoader
{
    private const string Pkcs11Section = "Issuance:Pkcs11";

    /// <summary>
    /// Reads the CA certificate, key and optional chain. Throws <see cref="InvalidOperationException"/>
    /// whose message starts with the setting's name and says what is wrong.
    /// </summary>
    /// <param name="options">The issuance settings.</param>
    public static CaMaterial Load(IssuanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        var certificatePath = Require(options.CaCertificatePath, "Issuance:CaCertificatePath");
        var certificates = ReadCertificates(certificatePath, "Issuance:CaCertificatePath");
        if (certificates.Count != 1)
        {
            throw new InvalidOperationException(
                $"Issuance:CaCertificatePath: '{certificatePath}' must hold exactly one certificate (the issuing CA); it holds {certificates.Count}.");
        }

        var certificate = certificates[0];
        var chain = string.IsNullOrWhiteSpace(options.ChainPath)
            ? []
            : ReadCertificates(options.ChainPath, "Issuance:ChainPath");

        if (options.Pkcs11.IsConfigured)
        {
            if (!string.IsNullOrWhiteSpace(options.CaKeyPath))
            {
                throw new InvalidOperationException("Issuance:CaKeyPath: set either it or Issuance:Pkcs11:Library, not both.");
            }

            return new CaMaterial(certificate, OpenTokenKey(options.Pkcs11, certificate, certificatePath), chain);
        }

        var keyPath = Require(options.CaKeyPath, "Issuance:CaKeyPath");
        var key = ReadKey(keyPath, options.CaKeyPassphraseFile);
        if (!CaSigning.KeysMatch(key, certificate.GetPublicKey()))
        {
            throw new InvalidOperationException(
                $"Issuance:CaKeyPath: the key in '{keyPath}' does not belong to the certificate in '{certificatePath}'.");
        }

        return new CaMaterial(certificate, key, chain);
    }

    /// <summary>Opens a token key and proves, by a signature the certificate's key verifies, that it is the CA's key.</summary>
    internal static Pkcs11CaSigner OpenTokenKey(Pkcs11KeyOptions options, X509Certificate certificate, string certificatePath, string section = Pkcs11Section)
    {
        var key = Pkcs11Key.Open(options, section);
        try
        {
            var signer = new Pkcs11CaSigner(key, certificate.GetPublicKey());
            if (!CaSigning.SignerMatches(signer, certificate.GetPublicKey()))
            {
                throw new InvalidOperationException(
                    $"{section}:KeyLabel: the key '{key.Label}' in token '{options.TokenLabel}' does not belong to the certificate in '{certificatePath}'.");
            }

            return signer;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static string Require(string? path, string setting)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException($"{setting} is not set.");
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{setting}: the file '{path}' does not exist.");
        }

        return path;
    }

    private static IReadOnlyList<X509Certificate> ReadCertificates(string path, string setting)
    {
        try
        {
            return PemText.ReadCertificates(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException($"{setting}: '{path}' is not a readable PEM certificate file: {ex.Message}", ex);
        }
    }

    private static AsymmetricKeyParameter ReadKey(string path, string? passphraseFile)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Issuance:CaKeyPath: cannot read '{path}': {ex.Message}", ex);
        }

        var encrypted = PemText.IsEncryptedPrivateKey(pem);
        if (!encrypted)
        {
            if (!string.IsNullOrWhiteSpace(passphraseFile))
            {
                throw new InvalidOperationException($"Issuance:CaKeyPassphraseFile is set, but '{path}' is not an encrypted PKCS#8 key; unset it or encrypt the key.");
            }

            try
            {
                return PemText.ReadPrivateKey(pem);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException)
            {
                throw new InvalidOperationException(
                    $"Issuance:CaKeyPath: '{path}' is not a readable PEM private key (PKCS#8, encrypted PKCS#8 or traditional): {ex.Message}", ex);
            }
        }

        if (string.IsNullOrWhiteSpace(passphraseFile))
        {
            throw new InvalidOperationException($"Issuance:CaKeyPassphraseFile is not set, and '{path}' is an encrypted key.");
        }

        var passphrase = SecretFile.ReadFirstLine(passphraseFile, "Issuance:CaKeyPassphraseFile");
        try
        {
            return PemText.ReadEncryptedPrivateKey(pem, passphrase.ToCharArray());
        }
        catch (Exception ex) when (ex is InvalidCipherTextException or CryptoException or IOException or InvalidDataException or ArgumentException or Org.BouncyCastle.Security.GeneralSecurityException)
        {
            throw new InvalidOperationException($"Issuance:CaKeyPassphraseFile: the passphrase does not decrypt '{path}': {ex.Message}", ex);
        }
    }
}
