using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Acme.Tests.Support.Dns;

namespace Acme.Tests.Integration.Crash;

/// <summary>
/// The real server as its own process (<c>dotnet Acme.Server.dll</c> from the test's output folder),
/// on loopback ports of its own, over a data directory that outlives it; killed with SIGKILL.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private bool _disposed;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, string dataDirectory, int httpsPort)
    {
        _process = process;
        DataDirectory = dataDirectory;
        DirectoryUrl = $"https://127.0.0.1:{httpsPort}/directory";
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string DataDirectory { get; }

    public string DirectoryUrl { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>What the process printed, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the server over <paramref name="dataDirectory"/> and waits until its directory answers.</summary>
    /// <param name="workingDirectory">The process's current folder (its content root); the test's own when null.</param>
    public static async Task<ServerProcess> StartAsync(
        string dataDirectory, int httpsPort, int httpPort, IEnumerable<string> settings, TimeSpan startTimeout, string? workingDirectory = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Acme.Server.dll");
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in new[] { dll, "--environment", "Development", "--urls", $"https://127.0.0.1:{httpsPort};http://127.0.0.1:{httpPort}", $"--Acme:DataDirectory={dataDirectory}" }
                     .Concat(settings.Select(s => "--" + s)))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var server = new ServerProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"), dataDirectory, httpsPort);
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (clock.Elapsed < startTimeout && !server.HasExited)
        {
            if (await server.AnswersAsync())
            {
                return server;
            }

            await timer.WaitForNextTickAsync();
        }

        var output = server.Output;
        server.Dispose();
        throw new TimeoutException($"the server did not answer within {startTimeout}: {output}");
    }

    /// <summary>An HttpClient that trusts exactly the server's generated TLS certificate.</summary>
    public HttpClient CreateHttpClient()
    {
        var trusted = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(DataDirectory, "tls", "server.pem"));
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.RawData.AsSpan().SequenceEqual(trusted.RawData),
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>SIGKILL: no shutdown code runs, as with kill -9.</summary>
    public void Kill()
    {
        if (_disposed)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit(10_000);
    }

    // Idempotent: a test's finally may dispose a server that a failed restart left disposed, and must not hide that failure.
    public void Dispose()
    {
        Kill();
        _disposed = true;
        _process.Dispose();
    }

    private async Task<bool> AnswersAsync()
    {
        if (!File.Exists(Path.Combine(DataDirectory, "tls", "server.pem")))
        {
            return false;
        }

        try
        {
            using var http = CreateHttpClient();
            http.Timeout = TimeSpan.FromSeconds(2);
            return (await http.GetAsync(DirectoryUrl)).IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 200_000)
            {
                _output.AppendLine(line);
            }
        }
    }

    /// <summary>A free loopback port.</summary>
    /// <summary>
    /// A free port below the kernel's ephemeral range (32768 and up), so that while the server is down
    /// between a kill and its restart no outgoing connection on this machine can be given its port.
    /// </summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (System.Net.Sockets.SocketException)
            {
                // taken: try another
            }
        }

        return DnsmasqServer.FreePort();
    }
}
