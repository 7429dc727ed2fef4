using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace Acme.Server.Issuance;

/// <summary>
/// Creates, on first start, a development root and issuing CA in a directory, and loads them on
/// later starts. For development and tests only: the keys sit unencrypted on disk.
/// </summary>
public static class DevelopmentCaGenerator
{
    /// <summary>The root certificate file name.</summary>
    public const string RootCertificateFile = "root.pem";

    /// <summary>The root key file name.</summary>
    public const string RootKeyFile = "root.key";

    /// <summary>The issuing CA certificate file name.</summary>
    public const string IssuingCertificateFile = "issuing.pem";

    /// <summary>The issuing CA key file name.</summary>
    public const string IssuingKeyFile = "issuing.key";

    /// <summary>The development root's CRL URL in the issuing CA certificate (never served).</summary>
    public const string DevelopmentRootCrlUrl = "http://development-root.invalid/root.crl";

    /// <summary>The development root's certificate URL in the issuing CA certificate (never served).</summary>
    public const string DevelopmentRootCertificateUrl = "http://development-root.invalid/root.cer";

    private static readonly string[] AllFiles = [RootCertificateFile, RootKeyFile, IssuingCertificateFile, IssuingKeyFile];

    /// <summary>
    /// Loads the development CA from <paramref name="directory"/>, creating it first when the
    /// directory holds none of its files. The returned chain is the issuing CA, then the root.
    /// </summary>
    /// <param name="directory">Where the CA files live.</param>
    /// <param name="time">The clock for the validity of newly created certificates.</param>
    public static CaMaterial LoadOrCreate(string directory, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(time);

        var present = AllFiles.Where(f => File.Exists(Path.Combine(directory, f))).ToList();
        if (present.Count == 0)
        {
            Create(directory, time);
        }
        else if (present.Count != AllFiles.Length)
        {
            var missing = AllFiles.Except(present);
            throw new InvalidOperationException(
                $"The development CA directory '{directory}' is incomplete: {string.Join(", ", missing)} missing. Delete the directory to create a new development CA.");
        }

        return Load(directory);
    }

    private static CaMaterial Load(string directory)
    {
        var root = ReadSingleCertificate(Path.Combine(directory, RootCertificateFile));
        var issuing = ReadSingleCertificate(Path.Combine(directory, IssuingCertificateFile));
        var key = PemText.ReadPrivateKey(File.ReadAllText(Path.Combine(directory, IssuingKeyFile)));
        if (!CaSigning.KeysMatch(key, issuing.GetPublicKey()))
        {
            throw new InvalidOperationException($"The development CA key '{IssuingKeyFile}' in '{directory}' does not belong to '{IssuingCertificateFile}'.");
        }

        return new CaMaterial(issuing, key, [root]);
    }

    private static X509Certificate ReadSingleCertificate(string path)
    {
        var certificates = PemText.ReadCertificates(File.ReadAllText(path));
        return certificates.Count == 1
            ? certificates[0]
            : throw new InvalidOperationException($"'{path}' must hold exactly one certificate; it holds {certificates.Count}.");
    }

    private static void Create(string directory, TimeProvider time)
    {
        CreatePrivateDirectory(directory);
        var random = new SecureRandom();
        var notBefore = time.GetUtcNow().AddMinutes(-1);

        var rootKey = NewEcKey("P-384", random);
        var root = CaCertificateBuilder.Root(
            new X509Name("CN=Acme S/MIME Development Root, O=Development only"), rootKey.Public, notBefore, notBefore.AddYears(10),
            CaSigning.Factory(rootKey.Private, random));

        // SBR §7.1.2.2: the same subordinate profile as `ca init-issuing`. Nothing publishes this root's CRL or
        // certificate, so its URLs are in the reserved .invalid domain (RFC 6761 §6.4): visibly unreachable.
        var issuingKey = NewEcKey("P-256", random);
        var issuing = CaCertificateBuilder.Subordinate(
            root, new X509Name("CN=Acme S/MIME Development Issuing CA, O=Development only"), issuingKey.Public,
            notBefore, notBefore.AddYears(5), DevelopmentRootCrlUrl, DevelopmentRootCertificateUrl, CaSigning.Factory(rootKey.Private, random));

        WritePrivateFile(Path.Combine(directory, RootKeyFile), PemText.PrivateKey(rootKey.Private));
        File.WriteAllText(Path.Combine(directory, RootCertificateFile), PemText.Certificate(root));
        WritePrivateFile(Path.Combine(directory, IssuingKeyFile), PemText.PrivateKey(issuingKey.Private));
        File.WriteAllText(Path.Combine(directory, IssuingCertificateFile), PemText.Certificate(issuing));
    }

    private static AsymmetricCipherKeyPair NewEcKey(string curve, SecureRandom random)
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(ECNamedCurveTable.GetOid(curve), random));
        return generator.GenerateKeyPair();
    }

    private static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static void WritePrivateFile(string path, string content)
    {
        using var stream = File.Create(path);
        if (!OperatingSystem.IsWindows())
        {
            // Owner-only before any key byte is written.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }
}
