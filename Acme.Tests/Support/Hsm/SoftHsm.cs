using System.Diagnostics;
using System.Runtime.InteropServices;
using Acme.Email.Pkcs11;

namespace Acme.Tests.Support.Hsm;

/// <summary>
/// SoftHSM2 (Debian package softhsm2) for the PKCS#11 tests: one configuration with a temporary token directory
/// per test run, and a fresh token per caller. Missing SoftHSM fails under CI and ignores the test locally
/// (<see cref="RequiredTool"/>).
/// </summary>
public static class SoftHsm
{
    /// <summary>Debian's SoftHSM2 PKCS#11 module.</summary>
    public const string LibraryPath = "/usr/lib/softhsm/libsofthsm2.so";

    private const string UtilPath = "/usr/bin/softhsm2-util";

    // One configuration per process: SoftHSM reads SOFTHSM2_CONF when the module initializes, and .NET's
    // Environment.SetEnvironmentVariable does not reach native getenv on Unix, hence libc setenv.
    private static readonly Lazy<string> Configuration = new(CreateConfiguration);

    /// <summary>Creates and initializes a new token with a random label and PIN; its PIN file lives in <paramref name="directory"/>.</summary>
    public static SoftHsmToken CreateToken(string directory)
    {
        if (!File.Exists(LibraryPath) || !File.Exists(UtilPath))
        {
            RequiredTool.Missing($"SoftHSM2 for the PKCS#11 tests: {LibraryPath} or {UtilPath} is missing (Debian package softhsm2)");
        }

        var configuration = Configuration.Value;
        Directory.CreateDirectory(directory);
        var label = "t" + Guid.NewGuid().ToString("N")[..20];
        var pin = "pin-" + Guid.NewGuid().ToString("N")[..8];
        var pinFile = Path.Combine(directory, label + ".pin");
        File.WriteAllText(pinFile, pin + "\n");
        Run(configuration, "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "so-" + pin);
        return new SoftHsmToken(label, pin, pinFile, configuration);
    }

    private static string CreateConfiguration()
    {
        var root = Path.Combine(Path.GetTempPath(), "acme-softhsm-" + Guid.NewGuid().ToString("N"));
        var tokens = Path.Combine(root, "tokens");
        Directory.CreateDirectory(tokens);
        var configuration = Path.Combine(root, "softhsm2.conf");
        File.WriteAllText(configuration, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        if (SetEnvironment("SOFTHSM2_CONF", configuration, 1) != 0)
        {
            throw new InvalidOperationException("setenv(SOFTHSM2_CONF) failed");
        }

        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", configuration);
        return configuration;
    }

    private static void Run(string configuration, params string[] arguments)
    {
        var info = new ProcessStartInfo(UtilPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["SOFTHSM2_CONF"] = configuration;
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("softhsm2-util did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException("softhsm2-util did not finish within 60 seconds");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"softhsm2-util {string.Join(' ', arguments)} failed ({process.ExitCode}): {output.Result}{error.Result}");
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnvironment([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}

/// <summary>An initialized SoftHSM token.</summary>
public sealed record SoftHsmToken(string Label, string Pin, string PinFile, string ConfigurationFile)
{
    /// <summary>Settings for a key labelled <paramref name="keyLabel"/> in this token.</summary>
    public Pkcs11KeyOptions Options(string keyLabel) => new()
    {
        Library = SoftHsm.LibraryPath,
        TokenLabel = Label,
        KeyLabel = keyLabel,
        PinFile = PinFile,
    };
}
