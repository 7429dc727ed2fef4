using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;

namespace Acme.Server.Issuance;

/// <summary>Loads the production issuing CA from the files named in <see cref="IssuanceOptions"/>.</summary>
public static class CaMaterialLoader
{
    /// <summary>
    /// Reads the CA certificate, key and optional chain. Throws <see cref="InvalidOperationException"/>
    /// whose message names the setting and what is wrong.
    /// </summary>
    /// <param name="options">The issuance settings.</param>
    public static CaMaterial Load(IssuanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        var certificatePath = Require(options.CaCertificatePath, "Issuance:CaCertificatePath");
        var keyPath = Require(options.CaKeyPath, "Issuance:CaKeyPath");

        var certificates = ReadCertificates(certificatePath, "Issuance:CaCertificatePath");
        if (certificates.Count != 1)
        {
            throw new InvalidOperationException(
                $"Issuance:CaCertificatePath: '{certificatePath}' must hold exactly one certificate (the issuing CA); it holds {certificates.Count}.");
        }

        var certificate = certificates[0];
        var key = ReadKey(keyPath);
        if (!CaSigning.KeysMatch(key, certificate.GetPublicKey()))
        {
            throw new InvalidOperationException(
                $"Issuance:CaKeyPath: the key in '{keyPath}' does not belong to the certificate in '{certificatePath}'.");
        }

        var chain = string.IsNullOrWhiteSpace(options.ChainPath)
            ? []
            : ReadCertificates(options.ChainPath, "Issuance:ChainPath");

        return new CaMaterial(certificate, key, chain);
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

    private static AsymmetricKeyParameter ReadKey(string path)
    {
        try
        {
            return PemText.ReadPrivateKey(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"Issuance:CaKeyPath: '{path}' is not a readable unencrypted PEM private key (PKCS#8 or traditional): {ex.Message}", ex);
        }
    }
}
