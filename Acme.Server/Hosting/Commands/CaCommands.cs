using Acme.Server.Issuance;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Server.Hosting.Commands;

/// <summary>
/// Operator commands that set up the CA, run before any host is built (no configured CA needed):
/// <c>ca init-root</c> creates an offline root (SBR §7.1.2.1), <c>ca init-issuing</c> an issuing CA under it
/// (SBR §7.1.2.2). Keys go to PEM files (optionally passphrase-encrypted) or are generated inside a PKCS#11 token.
/// Exit codes: 0 done, 2 bad input (the message names the option), 1 anything else.
/// </summary>
public static class CaCommands
{
    private static readonly string[] CommonOptions = ["--out", "--subject", "--days"];
    private static readonly string[] IssuingOptions = ["--root-cert", "--crl-url", "--ca-issuers-url"];

    /// <summary>True when the arguments start with <c>ca</c>.</summary>
    public static bool IsCaCommand(string[] args) => args is ["ca", ..];

    /// <summary>Runs <c>ca init-root</c> or <c>ca init-issuing</c>.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) =>
        RunAsync(args, output, error, TimeProvider.System);

    /// <summary>Runs a CA command with the given clock for the certificates' validity.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(time);
        var command = args.Length > 1 ? args[1] : "--help";
        try
        {
            var result = command switch
            {
                "init-root" => InitRoot(Parse(args, [.. CommonOptions, .. CommandKeys.NewKeyOptions]), output, time),
                "init-issuing" => InitIssuing(Parse(args, [.. CommonOptions, .. IssuingOptions, .. CommandKeys.NewKeyOptions, .. CommandKeys.RootKeyOptions]), output, time),
                "--help" or "-h" or "help" => Write(output, CaCommandHelp.Overview, 0),
                _ => Write(error, $"ca: unknown command '{command}'.\n{CaCommandHelp.Overview}", 2),
            };
            return Task.FromResult(result);
        }
        catch (ArgumentException ex)
        {
            error.WriteLine($"ca {command}: {ex.Message}");
            return Task.FromResult(2);
        }
        catch (InvalidOperationException ex)
        {
            error.WriteLine($"ca {command}: {ex.Message}");
            return Task.FromResult(2);
        }
        catch (IOException ex)
        {
            error.WriteLine($"ca {command}: {ex.Message}");
            return Task.FromResult(1);
        }
    }

    private static CommandArguments Parse(string[] args, string[] options) => CommandArguments.Parse(args.Skip(2), options, []);

    private static int InitRoot(CommandArguments args, TextWriter output, TimeProvider time)
    {
        if (args.Help)
        {
            return Write(output, CaCommandHelp.InitRoot, 0);
        }

        var (directory, subject, notBefore, notAfter) = Common(args, time, defaultDays: 7300);
        var certificatePath = NewFile(directory, "root.pem");
        var (signer, settings) = CommandKeys.Create(args, Path.Combine(directory, "root.key"), "ec-p384");
        try
        {
            var root = CaCertificateBuilder.Root(subject, signer.PublicKey, notBefore, notAfter, signer.CreateSignatureFactory());
            File.WriteAllText(certificatePath, PemText.Certificate(root));
            output.WriteLine($"Created the root CA '{root.SubjectDN}' in {certificatePath}, valid until {root.NotAfter:yyyy-MM-dd}.");
            output.WriteLine($"Its key ({signer.SignatureAlgorithm}): {string.Join(", ", settings.Select(s => s[(s.IndexOf('=', StringComparison.Ordinal) + 1)..]))}.");
            output.WriteLine("Keep it offline; use it with `ca init-issuing --root-cert " + certificatePath + " ...`.");
            return 0;
        }
        finally
        {
            (signer as IDisposable)?.Dispose();
        }
    }

    private static int InitIssuing(CommandArguments args, TextWriter output, TimeProvider time)
    {
        if (args.Help)
        {
            return Write(output, CaCommandHelp.InitIssuing, 0);
        }

        var (directory, subject, notBefore, notAfter) = Common(args, time, defaultDays: 1825);
        var rootPath = args.Required("--root-cert");
        var root = ReadRoot(rootPath);
        var crlUrl = args.HttpUrl("--crl-url");
        var caIssuersUrl = args.HttpUrl("--ca-issuers-url");
        if (notAfter.UtcDateTime > root.NotAfter)
        {
            throw new ArgumentException($"--days: the issuing CA would outlive the root (until {root.NotAfter:yyyy-MM-dd}); give fewer days");
        }

        var certificatePath = NewFile(directory, "issuing.pem");
        var rootSigner = CommandKeys.OpenRoot(args, root, rootPath);
        try
        {
            var (signer, settings) = CommandKeys.Create(args, Path.Combine(directory, "issuing.key"), "ec-p256");
            try
            {
                var issuing = CaCertificateBuilder.Subordinate(root, subject, signer.PublicKey, notBefore, notAfter, crlUrl, caIssuersUrl,
                    rootSigner.CreateSignatureFactory());
                File.WriteAllText(certificatePath, PemText.Certificate(issuing));
                output.WriteLine($"Created the issuing CA '{issuing.SubjectDN}' in {certificatePath}, valid until {issuing.NotAfter:yyyy-MM-dd}.");
                output.WriteLine("Point the server at it with these settings (appsettings.json or --Name=value):");
                output.WriteLine($"  Issuance:CaCertificatePath={certificatePath}");
                foreach (var setting in settings)
                {
                    output.WriteLine("  " + setting);
                }

                return 0;
            }
            finally
            {
                (signer as IDisposable)?.Dispose();
            }
        }
        finally
        {
            (rootSigner as IDisposable)?.Dispose();
        }
    }

    private static (string Directory, X509Name Subject, DateTimeOffset NotBefore, DateTimeOffset NotAfter) Common(
        CommandArguments args, TimeProvider time, int defaultDays)
    {
        var directory = Path.GetFullPath(args.Required("--out"));
        X509Name subject;
        try
        {
            subject = new X509Name(args.Required("--subject"));
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new ArgumentException($"--subject: '{args.Optional("--subject")}' is not a distinguished name like \"CN=Example S/MIME Root, O=Example, C=DE\" ({ex.Message})", ex);
        }

        var days = args.Integer("--days", defaultDays, 1, 9125);
        Directory.CreateDirectory(directory);
        var notBefore = time.GetUtcNow();
        return (directory, subject, notBefore, notBefore.AddDays(days));
    }

    private static string NewFile(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        return File.Exists(path) ? throw new ArgumentException($"--out: '{path}' exists already; nothing is overwritten") : path;
    }

    private static X509Certificate ReadRoot(string path)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"--root-cert: '{path}' does not exist");
        }

        IReadOnlyList<X509Certificate> certificates;
        try
        {
            certificates = PemText.ReadCertificates(File.ReadAllText(path));
        }
        catch (InvalidDataException ex)
        {
            throw new ArgumentException($"--root-cert: '{path}' is not a PEM certificate: {ex.Message}", ex);
        }

        return certificates.Count == 1 ? certificates[0] : throw new ArgumentException($"--root-cert: '{path}' must hold exactly one certificate; it holds {certificates.Count}");
    }

    private static int Write(TextWriter writer, string text, int exitCode)
    {
        writer.WriteLine(text);
        return exitCode;
    }
}
