using System.Diagnostics;
using Acme.Server.Hosting.Commands;

namespace Acme.Tests.Server.Hosting.Commands;

/// <summary>The `ca` branch of Program.cs runs before any host is built: no configuration, database or CA is needed.</summary>
[TestFixture]
[Category("Integration")]
public sealed class CaCommandsProcessTests
{
    private static (int Exit, string Output) RunServer(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add(typeof(CaCommands).Assembly.Location);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // A CA key path that does not exist: building the host would fail on it; the ca branch never reads it.
        info.Environment["Issuance__CaCertificatePath"] = "/nonexistent/issuing.pem";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            Assert.Fail("the server process did not exit within 60 seconds");
        }

        return (process.ExitCode, output.Result + error.Result);
    }

    [Test]
    public void Program_CaInitRootWithoutConfiguredCa_CreatesRootAndBadInputExitsTwo()
    {
        var directory = Directory.CreateTempSubdirectory("acme-ca-process-").FullName;
        try
        {
            var (exit, output) = RunServer(directory, "ca", "init-root", "--out", Path.Combine(directory, "root"), "--subject", "CN=Process Root");
            var (badExit, badOutput) = RunServer(directory, "ca", "init-root", "--out", Path.Combine(directory, "root2"));

            Assert.That(exit, Is.Zero, output);
            Assert.That(File.Exists(Path.Combine(directory, "root", "root.pem")), Is.True);
            Assert.That(Directory.Exists(Path.Combine(directory, "data")), Is.False, "no host: no data directory");
            Assert.That(badExit, Is.EqualTo(2), badOutput);
            Assert.That(badOutput, Does.Contain("--subject is required"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
