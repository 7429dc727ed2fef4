using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Acme.Tests.Email.Transport;

/// <summary>
/// A real SMTP server for integration tests: Debian's python3-aiosmtpd on 127.0.0.1 (run by /usr/bin/python3).
/// Saves every accepted message byte-exact and answers 550 for RCPT "reject@…" and 451 for "later@…".
/// </summary>
public sealed class AiosmtpdServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private const string Script = """
        import sys
        from aiosmtpd.controller import Controller

        class Handler:
            def __init__(self, directory):
                self.directory = directory
                self.count = 0

            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address.startswith('reject@'):
                    return '550 5.1.1 no such user'
                if address.startswith('later@'):
                    return '451 4.3.0 try again later'
                envelope.rcpt_tos.append(address)
                return '250 2.1.5 OK'

            async def handle_DATA(self, server, session, envelope):
                self.count += 1
                path = '%s/received-%d.eml' % (self.directory, self.count)
                with open(path, 'wb') as f:
                    f.write(envelope.original_content)
                print('saved ' + path, flush=True)
                return '250 2.0.0 queued'

        controller = Controller(Handler(sys.argv[1]), hostname='127.0.0.1', port=int(sys.argv[2]))
        controller.start()
        print('ready', flush=True)
        sys.stdin.read()
        controller.stop()
        """;

    private readonly Process _process;

    private AiosmtpdServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>True when /usr/bin/python3 can import aiosmtpd (Debian package python3-aiosmtpd).</summary>
    public static bool IsAvailable()
    {
        if (!File.Exists(Python))
        {
            return false;
        }

        var info = new ProcessStartInfo(Python) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("import aiosmtpd");
        using var process = Process.Start(info)!;
        process.WaitForExit(30_000);
        return process.HasExited && process.ExitCode == 0;
    }

    /// <summary>A loopback port that was free a moment ago.</summary>
    public static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Starts the server, saving messages into <paramref name="directory"/>, and waits until it listens.</summary>
    public static async Task<AiosmtpdServer> StartAsync(string directory)
    {
        var scriptPath = Path.Combine(directory, "smtp_sink.py");
        await File.WriteAllTextAsync(scriptPath, Script);
        var port = FreeLoopbackPort();
        var info = new ProcessStartInfo(Python)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-u", scriptPath, directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
        var server = new AiosmtpdServer(process, port);
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(StartTimeout);
        if (line != "ready")
        {
            var error = await process.StandardError.ReadToEndAsync().WaitAsync(StartTimeout);
            await server.DisposeAsync();
            throw new InvalidOperationException($"aiosmtpd did not start: {line} {error}");
        }

        return server;
    }

    /// <summary>Waits for the next saved message and returns its bytes.</summary>
    public async Task<byte[]> NextSavedMessageAsync()
    {
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(StartTimeout);
        if (line is null || !line.StartsWith("saved ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"unexpected aiosmtpd output: {line}");
        }

        return await File.ReadAllBytesAsync(line["saved ".Length..]);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}
