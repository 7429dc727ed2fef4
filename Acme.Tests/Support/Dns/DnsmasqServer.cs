using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Acme.Validation.Caa;

namespace Acme.Tests.Support.Dns;

/// <summary>
/// A dnsmasq (Debian package <c>dnsmasq-base</c>) serving CAA records on 127.0.0.1 and a free
/// port, in the foreground, for integration tests. Names under the local zones that have no
/// data answer NXDOMAIN. Dispose stops it.
/// </summary>
public sealed class DnsmasqServer : IDisposable
{
    /// <summary>Where Debian installs dnsmasq.</summary>
    public const string Binary = "/usr/sbin/dnsmasq";

    private readonly Process _process;
    private readonly StringBuilder _log;

    private DnsmasqServer(Process process, int port, StringBuilder log)
    {
        _process = process;
        Port = port;
        _log = log;
    }

    /// <summary>What dnsmasq wrote so far (with <c>--log-queries</c>, a line per query it received).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The UDP and TCP port it listens on.</summary>
    public int Port { get; }

    /// <summary>The server entry for <c>Dns:Servers</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>True when the dnsmasq binary is installed.</summary>
    public static bool IsInstalled => File.Exists(Binary);

    /// <summary>
    /// Starts dnsmasq authoritative-like for <paramref name="localZones"/> with the given CAA
    /// records (written as <c>--dns-rr=name,257,hex</c>) and extra arguments.
    /// </summary>
    public static DnsmasqServer Start(
        IReadOnlyList<string> localZones, IReadOnlyList<(string Name, CaaProperty Record)> records, params string[] extra)
    {
        var port = FreePort();
        var info = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "-k", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--bind-interfaces",
            "--listen-address=127.0.0.1", $"--port={port}", "--log-facility=-", "--pid-file=",
        })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var zone in localZones)
        {
            info.ArgumentList.Add($"--local=/{zone}/");
        }

        foreach (var (name, record) in records)
        {
            info.ArgumentList.Add($"--dns-rr={name},257,{Hex(record)}");
        }

        foreach (var argument in extra)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dnsmasq did not start");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                started.TrySetException(new InvalidOperationException($"dnsmasq exited: {log}"));
                return;
            }

            lock (log)
            {
                log.AppendLine(e.Data);
            }

            if (e.Data.Contains("started, version", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        };
        process.BeginErrorReadLine();
        if (!started.Task.Wait(TimeSpan.FromSeconds(10)))
        {
            process.Kill();
            throw new TimeoutException($"dnsmasq did not report start within 10 s: {log}");
        }

        return new DnsmasqServer(process, port, log);
    }

    /// <summary>The <c>--dns-rr</c> hex of a CAA record: flags, tag length, tag, value (RFC 8659 §4.1).</summary>
    public static string Hex(CaaProperty record)
    {
        var bytes = new List<byte> { record.Flags, (byte)record.Tag.Length };
        bytes.AddRange(Encoding.ASCII.GetBytes(record.Tag));
        bytes.AddRange(Encoding.UTF8.GetBytes(record.Value));
        return string.Concat(bytes.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    /// <summary>A loopback port that was free for both UDP and TCP a moment ago.</summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start();
            var port = ((IPEndPoint)tcp.LocalEndpoint).Port;
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // UDP side taken; try another.
            }
        }

        throw new InvalidOperationException("no free loopback port found");
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
    }
}
