using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Acme.Server.Storage;

/// <summary>
/// A command of a <see cref="PooledSqliteConnection"/>: it runs the session's kept command for its SQL text (prepared
/// when that text ran on this connection before) and hands it back when disposed. Parameters, transaction and
/// timeout are the caller's for this use only.
/// </summary>
internal sealed class CachedSqliteCommand(PooledSqliteConnection connection) : DbCommand
{
    private string _text = string.Empty;
    private SqliteCommand? _inner;
    private SqliteSession? _owner;
    private SqliteTransaction? _transaction;
    private int? _timeout;
    private SqliteDataReader? _reader;

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string CommandText
    {
        get => _text;
        set
        {
            value ??= string.Empty;
            if (_inner is { } held && !string.Equals(held.CommandText, value, StringComparison.Ordinal))
            {
                // Other SQL on the same command object: its parameters move to the command for the new text.
                var parameters = held.Parameters.Cast<SqliteParameter>().ToArray();
                held.Parameters.Clear();
                Release();
                Borrow(value).Parameters.AddRange(parameters);
            }

            _text = value;
        }
    }

    public override int CommandTimeout
    {
        get => _timeout ?? connection.Inner.DefaultTimeout;
        set => _timeout = value;
    }

    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
            {
                throw new ArgumentException($"SQLite runs only CommandType.Text, not {value}");
            }
        }
    }

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection
    {
        get => connection;
        set => throw new NotSupportedException("a pooled command stays with the connection that made it");
    }

    protected override DbParameterCollection DbParameterCollection => Borrow(_text).Parameters;

    protected override DbTransaction? DbTransaction
    {
        get => _transaction;
        set => _transaction = (SqliteTransaction?)value;
    }

    public override void Cancel() => _inner?.Cancel();

    protected override DbParameter CreateDbParameter() => new SqliteParameter();

    public override void Prepare() => Ready().Prepare();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => _reader = Ready().ExecuteReader(behavior);

    public override int ExecuteNonQuery() => Ready().ExecuteNonQuery();

    public override object? ExecuteScalar() => Ready().ExecuteScalar();

    protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<DbDataReader>(ExecuteDbDataReader(behavior));
    }

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(ExecuteNonQuery());
    }

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(ExecuteScalar());
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Release();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private SqliteCommand Ready()
    {
        var inner = Borrow(_text);
        // As Microsoft.Data.Sqlite's own commands do, one given no transaction runs in the connection's pending one.
        inner.Transaction = _transaction ?? connection.PendingTransaction;
        inner.CommandTimeout = _timeout ?? connection.Inner.DefaultTimeout;
        _owner!.NameParametersAsWritten(inner);
        return inner;
    }

    private SqliteCommand Borrow(string sql)
    {
        if (_inner is null)
        {
            _owner = connection.Session;
            _inner = _owner.Borrow(sql);
        }

        return _inner;
    }

    private void Release()
    {
        if (_inner is { } inner && _owner is { } owner)
        {
            _inner = null;
            _owner = null;
            // A reader still open keeps its statement busy: that command is freed, not kept.
            owner.Return(inner, reusable: _reader is null or { IsClosed: true });
        }

        _reader = null;
    }
}
