using System.Security.Cryptography.X509Certificates;
using Acme.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Acme.Tests.Support.Dns;
using Acme.Validation.Caa;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// The real server (the same <see cref="AcmeServerHost"/> as Program.cs) on 127.0.0.1 with
/// ephemeral ports, a temporary data directory and a fake clock; reached over real HTTPS.
/// </summary>
public sealed class RunningAcmeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningAcmeServer(WebApplication app, string dataDirectory, FakeTimeProvider time)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Time = time;
    }

    public string DataDirectory { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>CAA answers served to the server (none published: NXDOMAIN, so no restriction).</summary>
    public FakeCaaLookup Caa { get; private init; } = new();

    public IServiceProvider Services => _app.Services;

    /// <summary>The application, for operator commands that run against it.</summary>
    public WebApplication App => _app;

    public AcmeUrls Urls => _app.Services.GetRequiredService<AcmeUrls>();

    public string DirectoryUrl => Urls.Directory;

    public static Task<RunningAcmeServer> StartAsync(params string[] settings) => StartAsync(null, settings);

    /// <summary>Starts with <paramref name="services"/> replacing registrations (fakes at our seams).</summary>
    public static async Task<RunningAcmeServer> StartAsync(Action<IServiceCollection>? services, params string[] settings)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "acme-e2e-" + Guid.NewGuid().ToString("N"));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var args = new List<string>
        {
            "--environment", "Development",
            "--urls", "https://127.0.0.1:0;http://127.0.0.1:0",
            $"--Acme:DataDirectory={dataDirectory}",
            "--Logging:LogLevel:Default=Warning",
            "--Dkim:Algorithm=ed25519-sha256",
        };
        args.AddRange(settings.Select(s => "--" + s));
        var caa = new FakeCaaLookup();
        var app = AcmeServerHost.Build([.. args], b =>
        {
            b.Services.AddSingleton<TimeProvider>(time);
            b.Services.AddSingleton<ICaaLookup>(caa);
            services?.Invoke(b.Services);
        });
        await AcmeServerHost.PrepareAsync(app, CancellationToken.None);
        await app.StartAsync();
        return new RunningAcmeServer(app, dataDirectory, time) { Caa = caa };
    }

    /// <summary>An HttpClient that trusts exactly the server's generated TLS certificate.</summary>
    public HttpClient CreateHttpClient()
    {
        var trusted = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(DataDirectory, "tls", "server.pem"));
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.RawData.AsSpan().SequenceEqual(trusted.RawData),
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file briefly on some systems; the temp folder is cleaned later.
        }
    }
}
