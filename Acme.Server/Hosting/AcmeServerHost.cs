using System.Net;
using Acme.Server.Endpoints;
using Acme.Server.Issuance;
using Acme.Server.Observability;
using Acme.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acme.Server.Hosting;

/// <summary>
/// Builds the web application. Program.cs and the integration tests both use it, so tests run the
/// same server over real HTTPS on loopback.
/// </summary>
public static class AcmeServerHost
{
    public const int DefaultHttpsPort = 8443;
    public const int DefaultHttpPort = 8080;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        LogDefaults.Apply(builder);
        configure?.Invoke(builder);
        builder.Services.AddAcmeServer(builder.Configuration);
        builder.Services.AddAcmeMail(builder.Configuration);
        builder.Services.AddAcmeObservability(builder.Configuration);

        var dataDirectory = builder.Configuration[$"{AcmeServerOptions.Section}:{nameof(AcmeServerOptions.DataDirectory)}"] ?? "data";
        DataDirectory.CreatePrivate(dataDirectory);
        var tls = builder.Configuration.GetSection(TlsOptions.Section).Get<TlsOptions>() ?? new TlsOptions();
        var urlsConfigured = !string.IsNullOrEmpty(builder.Configuration["urls"]) || builder.Configuration.GetSection("Kestrel:Endpoints").Exists();
        var wantsHttps = !urlsConfigured || (builder.Configuration["urls"] ?? string.Empty).Contains("https://", StringComparison.OrdinalIgnoreCase)
            || builder.Configuration.GetSection("Kestrel:Endpoints").Exists();
        // Loaded before the host is built, so a bad Tls setting stops start-up with its name.
        var (certificate, tlsPath) = wantsHttps ? TlsCertificateProvider.Load(tls, dataDirectory, TimeProvider.System) : (null, null);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            RequestLimits.Configure(kestrel.Limits);

            // RFC 9110 §5.5: octets above 0x7F (obs-text) are opaque field content, not an error; by
            // default Kestrel refuses them with an empty 400 before the application can answer.
            kestrel.RequestHeaderEncodingSelector = _ => System.Text.Encoding.Latin1;
            if (certificate is not null)
            {
                kestrel.ConfigureHttpsDefaults(h => h.ServerCertificate = certificate);
            }

            if (!urlsConfigured)
            {
                // Embedded default: HTTPS for ACME, plain HTTP for CRL and CA-issuer URLs (SBR 7.1.2.3).
                kestrel.Listen(IPAddress.Loopback, DefaultHttpsPort, l => l.UseHttps());
                kestrel.Listen(IPAddress.Loopback, DefaultHttpPort);
            }
        });

        var app = builder.Build();
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseMiddleware<AcmeProtocolMiddleware>();
        app.MapOperationsEndpoints();
        app.MapDirectoryEndpoints();
        app.MapAccountEndpoints();
        app.MapOrderEndpoints();
        app.MapAuthorizationEndpoints();
        app.MapCertificateEndpoints();

        app.Lifetime.ApplicationStarted.Register(() => Announce(app, tlsPath));
        return app;
    }

    /// <summary>Checks configuration and prepares storage and the CA before the server accepts requests.</summary>
    public static async Task PrepareAsync(WebApplication app, CancellationToken ct)
    {
        ValidateEverySection(app.Services);
        var acme = app.Services.GetRequiredService<IOptions<AcmeServerOptions>>().Value;
        var issuance = app.Services.GetRequiredService<IOptions<IssuanceOptions>>().Value;
        var dkim = app.Services.GetRequiredService<IOptions<Acme.Email.Dkim.DkimSigningOptions>>().Value;
        var environment = app.Services.GetRequiredService<IHostEnvironment>();
        if (!environment.IsDevelopment())
        {
            ProductionGuard.Enforce(acme, issuance, dkim);
        }
        else
        {
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Acme.Server").LogWarning(
                "Development environment: {Ca}, {Dkim}, certificates name {Urls}. Not for production: run with ASPNETCORE_ENVIRONMENT=Production and the settings of docs/production.md",
                issuance.CaCertificatePath is null && issuance.CaKeyPath is null && !issuance.Pkcs11.IsConfigured ? "development CA generated under the data directory" : "configured CA",
                string.IsNullOrEmpty(dkim.KeyPath) && !dkim.Pkcs11.IsConfigured ? "development DKIM key" : "configured DKIM key",
                acme.HttpBaseUrl is null ? "loopback CRL and CA-issuer URLs" : acme.HttpBaseUrl);
        }

        _ = app.Services.GetRequiredService<MetricsToken>();
        await app.Services.GetRequiredService<MigrationRunner>().RunAsync(ct);
        _ = app.Services.GetRequiredService<CaMaterial>();

        // Mail side: transports, reply source, DKIM key and resolver check their settings now, not at first use.
        _ = app.Services.GetRequiredService<Acme.Email.Transport.IChallengeMailTransport>();
        _ = app.Services.GetRequiredService<Acme.Server.Mail.IReplySource>();
        _ = app.Services.GetRequiredService<Acme.Email.Dkim.DkimMessageSigner>();
        _ = app.Services.GetRequiredService<IEnumerable<Acme.Email.Smime.SmimeChallengeSigner>>();
        _ = app.Services.GetRequiredService<Acme.Validation.Dkim.IDkimKeyLookup>();
    }

    /// <summary>Runs the validators of every options section at once, so one start-up lists every bad setting.</summary>
    private static void ValidateEverySection(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
        {
            var failures = e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures).ToList();
            throw new OptionsValidationException("startup", typeof(AcmeServerOptions), failures);
        }
    }

    private static void Announce(WebApplication app, string? tlsPath)
    {
        var urls = app.Services.GetRequiredService<AcmeUrls>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Acme.Server");
        var crl = new Uri(urls.CrlUrl);
        if (crl.Scheme != Uri.UriSchemeHttp)
        {
            log.LogCritical("Acme:HttpBaseUrl must be an http:// URL for the CRL and CA-issuer URLs (SBR 7.1.2.3); it resolved to {Url}. Stopping.", urls.HttpBase);
            app.Lifetime.StopApplication();
            return;
        }

        log.LogInformation("ACME directory: {Directory}", urls.Directory);
        if (tlsPath is not null)
        {
            log.LogInformation("TLS certificate (trust it in clients): {Path}", Path.GetFullPath(tlsPath));
        }

        log.LogInformation("CRL: {Crl}  CA certificate: {Ca}", urls.CrlUrl, urls.CaIssuersUrl);
    }
}
