using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Acme.Server.Storage;

/// <summary>
/// A lease of a <see cref="SqliteSession"/>: what <see cref="SqliteConnectionFactory.OpenAsync"/> hands out. Its
/// commands run the session's prepared statements; closing or disposing it rolls back a transaction left open and
/// gives the session back to the pool instead of closing it. It cannot be opened again.
/// </summary>
internal sealed class PooledSqliteConnection(SqliteSession session, SqliteSessionPool pool) : DbConnection
{
    private SqliteSession? _session = session;
    private SqliteTransaction? _transaction;

    /// <summary>The leased connection; throws once the lease has ended.</summary>
    public SqliteConnection Inner => Session.Connection;

    internal SqliteSession Session => _session ?? throw new InvalidOperationException("the connection was closed: its lease has ended");

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string ConnectionString
    {
        get => _session?.Connection.ConnectionString ?? string.Empty;
        set => throw new NotSupportedException("a pooled connection keeps the connection string it was opened with");
    }

    public override string Database => Inner.Database;

    public override string DataSource => Inner.DataSource;

    public override string ServerVersion => Inner.ServerVersion;

    /// <summary>The transaction begun on this lease and not yet committed or rolled back, as a new command gets it.</summary>
    public SqliteTransaction? PendingTransaction => _transaction is { Connection: not null } pending ? pending : null;

    public override ConnectionState State => _session is null ? ConnectionState.Closed : ConnectionState.Open;

    /// <summary>BEGIN (IMMEDIATE unless <paramref name="deferred"/>); the transaction is rolled back if still open when the lease ends.</summary>
    public SqliteTransaction BeginTransaction(bool deferred) => _transaction = Inner.BeginTransaction(deferred);

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) =>
        _transaction = Inner.BeginTransaction(isolationLevel);

    protected override DbCommand CreateDbCommand() => new CachedSqliteCommand(this);

    public override void ChangeDatabase(string databaseName) => throw new NotSupportedException();

    public override void Open() => throw new InvalidOperationException("a pooled connection is handed out open and cannot be opened again");

    public override void Close()
    {
        if (_session is not { } leased)
        {
            return;
        }

        _session = null;
        try
        {
            _transaction?.Dispose();
        }
        finally
        {
            _transaction = null;
            pool.Return(leased);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
