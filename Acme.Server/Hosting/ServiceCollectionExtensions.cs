using Acme.Server.Issuance;
using Acme.Server.Jws;
using Acme.Server.Nonces;
using Acme.Server.Storage;
using Acme.Server.Workflows;
using Acme.Validation.Caa;
using Acme.Validation.Identifiers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Acme.Server.Hosting;

/// <summary>Registers options, storage, protocol services and workflows.</summary>
public static class ServiceCollectionExtensions
{
    public static IServiceCollection AddAcmeServer(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingletonTimeProvider();
        services.AddOptions<AcmeServerOptions>().Bind(configuration.GetSection(AcmeServerOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AcmeServerOptions>, AcmeServerOptionsValidator>();
        services.AddOptions<IssuanceOptions>().Bind(configuration.GetSection(IssuanceOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IssuanceOptions>>(new CheckedOptionsValidator<IssuanceOptions>(o => o.Validate(requireUrls: false)));
        services.AddOptions<TlsOptions>().Bind(configuration.GetSection(TlsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TlsOptions>, TlsOptionsValidator>();

        services.AddSingleton<InstanceIdentity>();
        services.AddAcmeStorage(configuration, sp => sp.GetRequiredService<IOptions<AcmeServerOptions>>().Value.DataDirectory);

        // One instance (SQLite) keeps nonces in memory; instances sharing PostgreSQL share them through it.
        services.AddSingleton<INonceStore>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AcmeServerOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            INonceStore store = sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProvider.PostgreSql
                ? new SharedNonceStore(sp.GetRequiredService<Database>(), sp.GetRequiredService<IRedeemedNonceStore>(), time, o.NonceLifetime, new NonceRejectSwitch(o.NonceRejectPercent))
                : new NonceService(time, o.NonceLifetime) { RejectPercent = o.NonceRejectPercent };
            return new MeteredNonceStore(store, sp.GetRequiredService<Observability.AcmeMetrics>());
        });
        services.AddSingleton(sp => CreateUrls(sp));
        services.AddSingleton<StoredKeyCache>(_ => new StoredKeyCache());
        services.AddSingleton<AcmeRequestReader>();

        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<IssuanceOptions>>().Value;
            var data = sp.GetRequiredService<IOptions<AcmeServerOptions>>().Value.DataDirectory;
            return o.CaCertificatePath is null && o.CaKeyPath is null && !o.Pkcs11.IsConfigured
                ? DevelopmentCaGenerator.LoadOrCreate(o.DevelopmentCaDirectory ?? Path.Combine(data, "ca"), sp.GetRequiredService<TimeProvider>())
                : CaMaterialLoader.Load(o);
        });
        services.AddSingleton(sp => new Lazy<ICertificateIssuer>(() => CreateIssuer(sp)));
        services.AddSingleton(sp => new CrlGenerator(sp.GetRequiredService<CaMaterial>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<CrlService>();

        services.AddSingleton(sp => new ChallengeAddressFactory(
            MailboxNormalizer.Normalize(sp.GetRequiredService<IOptions<AcmeServerOptions>>().Value.ChallengeMailbox).Value!,
            tagged: !sp.GetRequiredService<IOptions<Acme.Email.Smime.SmimeSigningOptions>>().Value.Enabled));
        services.AddSingleton<ResourceMapper>();
        services.AddSingleton<StatusPropagator>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<KeyChangeService>();
        services.AddSingleton<RenewalInfoService>();
        services.AddOptions<DnsOptions>().Bind(configuration.GetSection(DnsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DnsOptions>, DnsOptionsValidator>();
        services.AddOptions<CaaOptions>().Bind(configuration.GetSection(CaaOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CaaOptions>, CaaOptionsValidator>();
        services.TryAddSingleton<ICaaLookup>(sp => new DnsClientCaaLookup(sp.GetRequiredService<IOptions<DnsOptions>>().Value.Servers));
        services.AddSingleton(sp => CaaPolicyFrom(sp));
        services.AddSingleton(sp => new CaaIssueMailEvaluator(
            new ReusingCaaLookup(sp.GetRequiredService<ICaaLookup>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<CaaOptions>>().Value.LookupReuse),
            sp.GetRequiredService<CaaPolicy>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<CaaChecker>();
        services.AddSingleton<CaaService>();
        services.AddSingleton<MailLimits>();
        services.AddSingleton<OrderService>();
        services.AddSingleton<AuthorizationService>();
        services.AddSingleton<ChallengeService>();
        services.AddSingleton<ReplyVerdictService>();
        services.AddSingleton<CertificateIssuance>();
        services.AddSingleton<FinalizeService>();
        services.AddSingleton<ProcessingOrderRecovery>();
        services.AddHostedService<OrderRecoveryService>();
        services.AddSingleton<RevocationService>();
        services.AddSingleton<OperatorRevocation>();
        services.AddSingleton<AccountAdministration>();
        services.AddSingleton<ChallengeMailRetry>();
        return services;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services) => services.TryAddSingleton(TimeProvider.System);

    /// <summary>Our CAA issuer domains: <c>Caa:IssuerDomains</c>, else <c>Acme:CaaIdentities</c>, else the challenge mailbox's domain.</summary>
    private static CaaPolicy CaaPolicyFrom(IServiceProvider sp)
    {
        var caa = sp.GetRequiredService<IOptions<CaaOptions>>().Value;
        var acme = sp.GetRequiredService<IOptions<AcmeServerOptions>>().Value;
        var domains = caa.IssuerDomains.Count > 0 ? caa.IssuerDomains
            : acme.CaaIdentities.Count > 0 ? acme.CaaIdentities
            : [sp.GetRequiredService<ChallengeAddressFactory>().Mailbox.Domain];
        return new CaaPolicy(domains.Select(d => d.Trim().TrimEnd('.').ToLowerInvariant()).Distinct().ToList())
        {
            AllowInsecureLookupFailure = caa.AllowInsecureLookupFailure,
        };
    }

    /// <summary>Issuer options with the CRL and CA-issuer URLs this server serves (SBR 7.1.2.3 b, c).</summary>
    private static LocalCertificateIssuer CreateIssuer(IServiceProvider sp)
    {
        var configured = sp.GetRequiredService<IOptions<IssuanceOptions>>().Value;
        var urls = sp.GetRequiredService<AcmeUrls>();
        var options = new IssuanceOptions
        {
            CaCertificatePath = configured.CaCertificatePath,
            CaKeyPath = configured.CaKeyPath,
            ChainPath = configured.ChainPath,
            DevelopmentCaDirectory = configured.DevelopmentCaDirectory,
            ValidityDays = configured.ValidityDays,
            BackdateBy = configured.BackdateBy,
            CrlUrl = string.IsNullOrEmpty(configured.CrlUrl) ? urls.CrlUrl : configured.CrlUrl,
            CaIssuersUrl = string.IsNullOrEmpty(configured.CaIssuersUrl) ? urls.CaIssuersUrl : configured.CaIssuersUrl,
            AllowInternalUrls = configured.AllowInternalUrls ?? sp.GetRequiredService<IHostEnvironment>().IsDevelopment(),
        };
        options.Validate();
        return new LocalCertificateIssuer(sp.GetRequiredService<CaMaterial>(), options, sp.GetRequiredService<TimeProvider>());
    }

    private static AcmeUrls CreateUrls(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<AcmeServerOptions>>().Value;
        var server = sp.GetRequiredService<IServer>();
        IReadOnlyList<string> Listeners() =>
            server.Features.Get<IServerAddressesFeature>()?.Addresses.Select(Loopback).ToList() ?? [];
        return new AcmeUrls(
            () => options.BaseUrl ?? Listeners().FirstOrDefault(a => a.StartsWith("https://", StringComparison.Ordinal)) ?? Listeners().FirstOrDefault()
                ?? throw new InvalidOperationException("Acme:BaseUrl is not set and the server has no listener to derive it from"),
            () => options.HttpBaseUrl ?? Listeners().FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
                ?? options.BaseUrl ?? Listeners().FirstOrDefault() ?? "http://127.0.0.1");
    }

    /// <summary>Wildcard listener addresses are reached through 127.0.0.1.</summary>
    private static string Loopback(string address) =>
        address.Replace("://0.0.0.0:", "://127.0.0.1:", StringComparison.Ordinal)
               .Replace("://[::]:", "://127.0.0.1:", StringComparison.Ordinal)
               .Replace("://+:", "://127.0.0.1:", StringComparison.Ordinal)
               .Replace("://*:", "://127.0.0.1:", StringComparison.Ordinal);
}
