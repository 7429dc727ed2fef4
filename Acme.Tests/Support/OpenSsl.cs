using System.Diagnostics;

namespace Acme.Tests.Support;

/// <summary>Runs /usr/bin/openssl and returns its exit code and combined output.</summary>
public static class OpenSsl
{
    /// <summary>The openssl binary used by tests.</summary>
    public const string Path = "/usr/bin/openssl";

    /// <summary>Runs openssl with the arguments; waits at most 30 seconds.</summary>
    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var info = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("openssl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            throw new TimeoutException("openssl did not finish within 30 seconds");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
