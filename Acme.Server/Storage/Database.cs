using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Acme.Server.Storage;

/// <summary>
/// Runs store calls on a fresh connection: reads without a transaction, writes inside one short
/// BEGIN IMMEDIATE transaction that commits only if the callback returns normally.
/// </summary>
public sealed class Database(SqliteConnectionFactory factory)
{
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> read, CancellationToken ct)
    {
        await using var connection = await factory.OpenAsync(ct);
        return await read(connection);
    }

    public async Task<T> WriteAsync<T>(Func<SqliteConnection, DbTransaction, Task<T>> write, CancellationToken ct)
    {
        await using var connection = await factory.OpenAsync(ct);
        await using var tx = await SqliteConnectionFactory.BeginWriteAsync(connection, ct);
        var result = await write(connection, tx);
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>A write whose callback decides whether to commit (true) or roll back (false).</summary>
    public async Task<bool> TryWriteAsync(Func<SqliteConnection, DbTransaction, Task<bool>> write, CancellationToken ct)
    {
        await using var connection = await factory.OpenAsync(ct);
        await using var tx = await SqliteConnectionFactory.BeginWriteAsync(connection, ct);
        if (!await write(connection, tx))
        {
            await tx.RollbackAsync(ct);
            return false;
        }

        await tx.CommitAsync(ct);
        return true;
    }
}
