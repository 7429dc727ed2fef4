using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Acme.Server.Storage;

/// <summary>Registers the configured engine, the database runner, the migrations and the stores.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <param name="dataDirectory">Resolves <c>Acme:DataDirectory</c>, under which a relative SQLite path lives.</param>
    public static IServiceCollection AddAcmeStorage(this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, string> dataDirectory)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.TryAddSingleton<IStorageEngine>(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return storage.Provider switch
            {
                StorageProvider.PostgreSql => PostgreSqlEngine.FromFile(storage.ConnectionStringFile!),
                _ => new SqliteConnectionFactory(Path.Combine(dataDirectory(sp), storage.DatabasePath), storage.BusyTimeoutMilliseconds),
            };
        });
        services.TryAddSingleton<StatusChangeLog>();
        services.AddSingleton<Database>();
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<IAccountStore, AccountStore>();
        services.AddSingleton<IOrderStore, OrderStore>();
        services.AddSingleton<ICertificateStore, CertificateStore>();
        services.AddSingleton<IAuditStore, AuditStore>();
        services.AddSingleton<IRedeemedNonceStore, RedeemedNonceStore>();
        services.AddSingleton<ILeaseStore, LeaseStore>();
        services.AddSingleton<ICrlStore, CrlStore>();
        services.AddSingleton<DatabaseBackup>();
        return services;
    }
}
