using Acme.Server.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Acme.Server.Observability;

/// <summary>Registers this application's metrics (its own registry), the readiness checks and their options.</summary>
public static class ObservabilityServiceCollectionExtensions
{
    public static IServiceCollection AddAcmeObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section)).ValidateOnStart();
        services.AddOptions<HealthOptions>().Bind(configuration.GetSection(HealthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetricsOptions>, ObservabilityOptionsValidator>();
        services.AddSingleton<IValidateOptions<HealthOptions>, ObservabilityOptionsValidator>();

        services.AddSingleton<AcmeMetrics>();
        services.AddSingleton<IStatusChangeObserver>(sp => sp.GetRequiredService<AcmeMetrics>());
        services.AddSingleton<MetricsToken>();
        services.AddSingleton<MailQueueAge>();

        string[] ready = [OperationsEndpoints.ReadyTag];
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ready)
            .AddCheck<CaKeyHealthCheck>("ca-key", tags: ready)
            .AddCheck<MailServersHealthCheck>("mail-servers", tags: ready)
            .AddCheck<MailQueueHealthCheck>("mail-queue", tags: ready);
        return services;
    }
}
