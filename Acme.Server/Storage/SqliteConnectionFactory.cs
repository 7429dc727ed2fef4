using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Acme.Server.Storage;

/// <summary>Opens configured SQLite connections (WAL, foreign keys, busy timeout).</summary>
public sealed class SqliteConnectionFactory
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;
    private readonly Func<string, SqliteConnection> _create;

    /// <param name="create">Makes a connection from a connection string; tests pass one that records the SQL it runs.</param>
    public SqliteConnectionFactory(string databasePath, int busyTimeoutMs, Func<string, SqliteConnection>? create = null)
    {
        _create = create ?? (cs => new SqliteConnection(cs));
        DatabasePath = databasePath;
        _busyTimeoutMs = busyTimeoutMs;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, busyTimeoutMs / 1000),
        }.ToString();
    }

    public string DatabasePath { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = _create(_connectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {_busyTimeoutMs};";
        await command.ExecuteNonQueryAsync(ct);
        return connection;
    }

    /// <summary>
    /// Begins a write transaction with BEGIN IMMEDIATE, so that a read-then-write never fails
    /// with SQLITE_BUSY_SNAPSHOT half way.
    /// </summary>
    public static Task<DbTransaction> BeginWriteAsync(SqliteConnection connection, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        // Microsoft.Data.Sqlite has no async overload taking 'deferred'; BEGIN IMMEDIATE is quick.
        return Task.FromResult<DbTransaction>(connection.BeginTransaction(deferred: false));
    }
}
