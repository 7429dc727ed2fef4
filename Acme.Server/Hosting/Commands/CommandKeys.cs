using Acme.Email.Pkcs11;
using Acme.Server.Issuance;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Acme.Server.Hosting.Commands;

/// <summary>Creates a CA's new key (a PEM file or a token key) and opens the key that signs it, for the CA commands.</summary>
internal static class CommandKeys
{
    /// <summary>Options that place a new key.</summary>
    public static readonly string[] NewKeyOptions = ["--key-type", "--passphrase-file", "--pkcs11-library", "--token-label", "--key-label", "--pin-file"];

    /// <summary>Options that locate the signing root key of <c>init-issuing</c>.</summary>
    public static readonly string[] RootKeyOptions = ["--root-key", "--root-passphrase-file", "--root-key-label", "--root-token-label", "--root-pin-file"];

    /// <summary>Creates the new key: in the token when <c>--pkcs11-library</c> is given, else as <paramref name="keyFile"/>.</summary>
    /// <returns>The signer and the configuration lines that point the server at the key.</returns>
    public static (ICaSigner Signer, IReadOnlyList<string> Settings) Create(CommandArguments args, string keyFile, string defaultType)
    {
        var type = args.Optional("--key-type") ?? defaultType;
        if (args.Has("--pkcs11-library"))
        {
            if (args.Has("--passphrase-file"))
            {
                throw new ArgumentException("--passphrase-file: a token key has no key file to encrypt; the token's PIN protects it");
            }

            var options = TokenOptions(args, args.Required("--key-label"), "--token-label", "--pin-file");
            var kind = type switch
            {
                "ec-p256" => Pkcs11KeyKind.EcP256,
                "ec-p384" => Pkcs11KeyKind.EcP384,
                "rsa-3072" or "rsa-4096" => Pkcs11KeyKind.Rsa,
                _ => throw new ArgumentException($"--key-type: '{type}' is not ec-p256, ec-p384, rsa-3072 or rsa-4096"),
            };
            var key = Renamed(() => Pkcs11KeyGenerator.Generate(options, "Pkcs11", kind, type == "rsa-4096" ? 4096 : 3072),
                "--token-label", "--key-label", "--pin-file");
            return (new Pkcs11CaSigner(key, key.PublicKey!), [
                $"Issuance:Pkcs11:Library={options.Library}", $"Issuance:Pkcs11:TokenLabel={options.TokenLabel}",
                $"Issuance:Pkcs11:KeyLabel={options.KeyLabel}", $"Issuance:Pkcs11:PinFile={options.PinFile}"]);
        }

        foreach (var tokenOnly in new[] { "--token-label", "--key-label", "--pin-file" }.Where(args.Has))
        {
            throw new ArgumentException($"{tokenOnly}: only with --pkcs11-library");
        }

        if (File.Exists(keyFile))
        {
            throw new ArgumentException($"--out: '{keyFile}' exists already; nothing is overwritten");
        }

        var privateKey = Generate(type);
        var passphraseFile = args.Optional("--passphrase-file");
        var pem = passphraseFile is null
            ? PemText.PrivateKey(privateKey)
            : PemText.EncryptedPrivateKey(privateKey, Secret(passphraseFile, "--passphrase-file"));
        WriteOwnerOnly(keyFile, pem);
        List<string> settings = [$"Issuance:CaKeyPath={keyFile}"];
        if (passphraseFile is not null)
        {
            settings.Add($"Issuance:CaKeyPassphraseFile={Path.GetFullPath(passphraseFile)}");
        }

        return (new FileCaSigner(privateKey), settings);
    }

    /// <summary>Opens the root key that signs the issuing CA and proves it is <paramref name="root"/>'s key.</summary>
    public static ICaSigner OpenRoot(CommandArguments args, X509Certificate root, string rootPath)
    {
        if (args.Has("--root-key") == args.Has("--root-key-label"))
        {
            throw new ArgumentException("--root-key: give either --root-key FILE or --root-key-label LABEL (with --pkcs11-library)");
        }

        if (args.Has("--root-key-label"))
        {
            args.Required("--pkcs11-library");
            var tokenOption = args.Has("--root-token-label") ? "--root-token-label" : "--token-label";
            var pinOption = args.Has("--root-pin-file") ? "--root-pin-file" : "--pin-file";
            var options = TokenOptions(args, args.Required("--root-key-label"), tokenOption, pinOption);
            return Renamed(() => CaMaterialLoader.OpenTokenKey(options, root, rootPath, "Pkcs11"), tokenOption, "--root-key-label", pinOption);
        }

        var keyPath = args.Required("--root-key");
        var pem = File.Exists(keyPath) ? File.ReadAllText(keyPath) : throw new ArgumentException($"--root-key: '{keyPath}' does not exist");
        var passphraseFile = args.Optional("--root-passphrase-file");
        AsymmetricKeyParameter key;
        try
        {
            key = PemText.IsEncryptedPrivateKey(pem)
                ? PemText.ReadEncryptedPrivateKey(pem, Secret(passphraseFile ?? throw new ArgumentException("--root-passphrase-file: the root key is encrypted"), "--root-passphrase-file").ToCharArray())
                : PemText.ReadPrivateKey(pem);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or InvalidCipherTextException or CryptoException or GeneralSecurityException)
        {
            throw new ArgumentException($"--root-key: '{keyPath}' cannot be read (wrong --root-passphrase-file?): {ex.Message}", ex);
        }

        var signer = new FileCaSigner(key);
        return CaSigning.SignerMatches(signer, root.GetPublicKey())
            ? signer
            : throw new ArgumentException($"--root-key: '{keyPath}' is not the key of the root certificate '{rootPath}'");
    }

    private static Pkcs11KeyOptions TokenOptions(CommandArguments args, string keyLabel, string tokenOption, string pinOption) => new()
    {
        Library = args.Required("--pkcs11-library"),
        TokenLabel = args.Required(tokenOption),
        KeyLabel = keyLabel,
        PinFile = args.Required(pinOption),
    };

    // The token code names settings "Pkcs11:Library" and so on; on the command line they are options.
    private static T Renamed<T>(Func<T> open, string tokenOption, string keyOption, string pinOption)
    {
        try
        {
            return open();
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Pkcs11:", StringComparison.Ordinal))
        {
            var rest = ex.Message["Pkcs11:".Length..];
            var option = rest.StartsWith("Library", StringComparison.Ordinal) ? "--pkcs11-library" + rest["Library".Length..]
                : rest.StartsWith("TokenLabel", StringComparison.Ordinal) ? tokenOption + rest["TokenLabel".Length..]
                : rest.StartsWith("KeyLabel", StringComparison.Ordinal) ? keyOption + rest["KeyLabel".Length..]
                : rest.StartsWith("PinFile", StringComparison.Ordinal) ? pinOption + rest["PinFile".Length..]
                : rest;
            throw new ArgumentException(option, ex);
        }
    }

    private static AsymmetricKeyParameter Generate(string type)
    {
        var random = new SecureRandom();
        if (type is "ec-p256" or "ec-p384")
        {
            var generator = new ECKeyPairGenerator();
            generator.Init(new ECKeyGenerationParameters(ECNamedCurveTable.GetOid(type == "ec-p256" ? "P-256" : "P-384"), random));
            return generator.GenerateKeyPair().Private;
        }

        if (type is "rsa-3072" or "rsa-4096")
        {
            var generator = new RsaKeyPairGenerator();
            generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), random, type == "rsa-3072" ? 3072 : 4096, 100));
            return generator.GenerateKeyPair().Private;
        }

        throw new ArgumentException($"--key-type: '{type}' is not ec-p256, ec-p384, rsa-3072 or rsa-4096");
    }

    private static string Secret(string path, string option)
    {
        try
        {
            return SecretFile.ReadFirstLine(path, option);
        }
        catch (InvalidOperationException ex)
        {
            throw new ArgumentException(ex.Message, ex);
        }
    }

    private static void WriteOwnerOnly(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(new FileStream(path, options));
        writer.Write(content);
    }
}
