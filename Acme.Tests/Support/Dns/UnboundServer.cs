using System.Diagnostics;
using System.Text;

namespace Acme.Tests.Support.Dns;

/// <summary>
/// unbound (Debian packages <c>unbound ldnsutils</c>) as a DNSSEC-validating resolver on loopback
/// over one locally signed zone (NSEC, ECDSA P-256), with its own trust anchor, following
/// <c>shared/reference/mail-stack.md</c>. Dispose stops it and deletes its files.
/// </summary>
public sealed class UnboundServer : IDisposable
{
    private const string Unbound = "/usr/sbin/unbound";
    private const string KeyGen = "/usr/bin/ldns-keygen";
    private const string SignZone = "/usr/bin/ldns-signzone";

    private readonly Process _process;
    private readonly string _directory;

    private UnboundServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    /// <summary>The UDP and TCP port it listens on.</summary>
    public int Port { get; }

    /// <summary>The server entry for <c>Dns:Servers</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>True when unbound and the ldns tools are installed.</summary>
    public static bool IsInstalled => File.Exists(Unbound) && File.Exists(KeyGen) && File.Exists(SignZone);

    /// <summary>
    /// Signs <paramref name="zoneText"/> for <paramref name="zone"/>, applies
    /// <paramref name="tamper"/> to the signed text (to forge records after signing), and starts
    /// unbound with the key as trust anchor.
    /// </summary>
    public static UnboundServer Start(string zone, string zoneText, Func<string, string> tamper)
    {
        var directory = Directory.CreateTempSubdirectory("caa-unbound-").FullName;
        var zoneFile = Path.Combine(directory, zone + ".zone");
        File.WriteAllText(zoneFile, zoneText);
        var key = Run(KeyGen, directory, "-k", "-a", "ECDSAP256SHA256", zone).Trim();
        Run(SignZone, directory, zoneFile, Path.Combine(directory, key));
        var signed = zoneFile + ".signed";
        File.WriteAllText(signed, tamper(File.ReadAllText(signed)));

        var port = DnsmasqServer.FreePort();
        var config = Path.Combine(directory, "unbound.conf");
        File.WriteAllText(config, $"""
            server:
              interface: 127.0.0.1
              port: {port}
              do-ip6: no
              chroot: ""
              username: ""
              directory: "{directory}"
              pidfile: ""
              use-syslog: no
              logfile: ""
              module-config: "validator iterator"
              trust-anchor-file: "{Path.Combine(directory, key + ".ds")}"
              do-not-query-localhost: no
              access-control: 127.0.0.0/8 allow
              local-zone: "test." nodefault
            auth-zone:
              name: "{zone}."
              zonefile: "{signed}"
              for-downstream: no
              for-upstream: yes
              fallback-enabled: no
            remote-control:
              control-enable: no
            """);

        var info = new ProcessStartInfo(Unbound) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-d", "-c", config })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("unbound did not start");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                started.TrySetException(new InvalidOperationException($"unbound exited: {log}"));
                return;
            }

            lock (log)
            {
                log.AppendLine(e.Data);
            }

            if (e.Data.Contains("start of service", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        };
        process.BeginErrorReadLine();
        if (!started.Task.Wait(TimeSpan.FromSeconds(10)))
        {
            process.Kill();
            throw new TimeoutException($"unbound did not report start within 10 s: {log}");
        }

        return new UnboundServer(process, directory, port);
    }

    private static string Run(string binary, string directory, params string[] arguments)
    {
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{binary} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{binary} failed: {stderr.Result}");
        }

        return stdout.Result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
