using System.Data.Common;
using Acme.Server.Hosting;
using Acme.Server.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Acme.Tests.Support.Storage;

/// <summary>The configured engine, made to stop answering on demand (a database that is down), counting the connections it opens and the writes it starts.</summary>
public sealed class BreakableStorageEngine(IStorageEngine inner) : IStorageEngine
{
    private int _writes;
    private int _connections;

    public volatile bool Down;

    /// <summary>Write transactions begun so far (each is one commit, one log sync); auto-committed statements are not counted.</summary>
    public int WriteTransactions => Volatile.Read(ref _writes);

    /// <summary>Connections handed out so far: one per read, one per write transaction (or group of them).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The engine the server would build from its Storage settings, wrapped.</summary>
    public static BreakableStorageEngine ForConfiguredProvider(IServiceProvider sp)
    {
        var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
        var data = sp.GetRequiredService<IOptions<AcmeServerOptions>>().Value.DataDirectory;
        return new BreakableStorageEngine(storage.Provider == StorageProvider.PostgreSql
            ? PostgreSqlEngine.FromFile(storage.ConnectionStringFile!)
            : new SqliteConnectionFactory(Path.Combine(data, storage.DatabasePath), storage.BusyTimeoutMilliseconds));
    }

    public StorageProvider Provider => inner.Provider;

    public string MigrationFolder => inner.MigrationFolder;

    public Task<DbConnection> OpenAsync(CancellationToken ct) => Open(inner.OpenAsync, ct);

    public Task<DbConnection> OpenForWriteAsync(CancellationToken ct) => Open(inner.OpenForWriteAsync, ct);

    private Task<DbConnection> Open(Func<CancellationToken, Task<DbConnection>> open, CancellationToken ct)
    {
        if (Down)
        {
            throw new InvalidOperationException("the database is down (test)");
        }

        Interlocked.Increment(ref _connections);
        return open(ct);
    }

    public Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct)
    {
        Interlocked.Increment(ref _writes);
        return inner.BeginWriteAsync(connection, ct);
    }

    public ValueTask<IDisposable?> EnterWriterAsync(CancellationToken ct) => inner.EnterWriterAsync(ct);

    public bool CommitsQueuedWritesTogether => inner.CommitsQueuedWritesTogether;

    public bool IsRetryable(Exception e) => inner.IsRetryable(e);

    public Task<IAsyncDisposable> LockForMigrationAsync(DbConnection connection, CancellationToken ct) => inner.LockForMigrationAsync(connection, ct);
}
