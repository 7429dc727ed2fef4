using System.Data;
using System.Data.Common;
using Dapper;
using Npgsql;

namespace Acme.Server.Storage;

/// <summary>
/// The PostgreSQL engine (Npgsql) for several instances sharing one database. Writes run SERIALIZABLE, so
/// every read-then-write rule that SQLite's single writer kept (reuse-or-create, counted limits) still
/// holds under concurrent writers; a serialization conflict is retried by <see cref="Database"/>.
/// </summary>
public sealed class PostgreSqlEngine : IStorageEngine, IAsyncDisposable
{
    // pg_advisory_lock key for migrations: any constant the application owns ("ACMESMIM" in ASCII).
    private const long MigrationLockKey = 0x41434D45534D494D;

    private readonly NpgsqlDataSource _source;

    public PostgreSqlEngine(string connectionString)
    {
        _source = NpgsqlDataSource.Create(connectionString);
    }

    public StorageProvider Provider => StorageProvider.PostgreSql;

    public string MigrationFolder => "PostgreSql";

    /// <summary>Reads the connection string from <paramref name="path"/> (trimmed; the file holds nothing else).</summary>
    public static PostgreSqlEngine FromFile(string path) => new(File.ReadAllText(path).Trim());

    public async Task<DbConnection> OpenAsync(CancellationToken ct) => await _source.OpenConnectionAsync(ct);

    public Task<DbConnection> OpenForWriteAsync(CancellationToken ct) => OpenAsync(ct);

    public async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.Serializable, ct);

    public ValueTask<IDisposable?> EnterWriterAsync(CancellationToken ct) => ValueTask.FromResult<IDisposable?>(null);

    /// <summary>Writers run side by side; the server groups their commits itself.</summary>
    public bool CommitsQueuedWritesTogether => false;

    // SQLSTATE 40001 serialization_failure, 40P01 deadlock_detected: the transaction did nothing; run it again.
    public bool IsRetryable(Exception e) => e is PostgresException { SqlState: "40001" or "40P01" };

    public async Task<IAsyncDisposable> LockForMigrationAsync(DbConnection connection, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = MigrationLockKey }, cancellationToken: ct));
        return new AdvisoryLock(connection);
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    private sealed class AdvisoryLock(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() =>
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = MigrationLockKey });
    }
}
