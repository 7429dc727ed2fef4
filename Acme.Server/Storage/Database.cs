using System.Data.Common;
using Microsoft.Extensions.Options;

namespace Acme.Server.Storage;

/// <summary>
/// Runs store calls on a fresh connection: reads without a transaction, writes inside one short write
/// transaction that commits only if the callback returns normally. A write the engine reports as a
/// serialization conflict (PostgreSQL) is run again from the start, so write callbacks only touch the
/// database and compute from what they read. On SQLite, writes that queue behind a running one share its
/// commit, each in a savepoint of its own (<see cref="WriteGroup"/>); a write still sees only itself fail.
/// </summary>
/// <remarks>Status changes the stores note on a write transaction reach <see cref="StatusChangeLog"/>'s observers only when it commits.</remarks>
public sealed class Database(IStorageEngine engine, IOptions<StorageOptions> options, StatusChangeLog? changes = null)
{
    public StorageProvider Provider => engine.Provider;

    /// <summary>Where the stores note the status changes of a write transaction.</summary>
    public StatusChangeLog Changes => _writes.Log;

    // SQLite: the writes that queue behind another commit together with it (WriteGroup).
    private readonly (StatusChangeLog Log, WriteGroup? Group) _writes = Writes(engine, changes ?? StatusChangeLog.Unobserved());

    /// <summary>Opens a connection and runs a trivial query: the engine answers (the readiness check).</summary>
    public async Task PingAsync(CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1";
        await command.ExecuteScalarAsync(ct);
    }

    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        return await read(connection);
    }

    /// <summary>One statement on its own, committed as it runs (no explicit transaction), e.g. an insert that a key makes idempotent.</summary>
    public async Task<T> AutoCommitAsync<T>(Func<DbConnection, Task<T>> statement, CancellationToken ct)
    {
        using var writer = await engine.EnterWriterAsync(ct);
        await using var connection = await engine.OpenForWriteAsync(ct);
        return await statement(connection);
    }

    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken ct) =>
        RunAsync(async (c, tx) => (true, await write(c, tx)), ct);

    /// <summary>A write whose callback decides whether to commit (true) or roll back (false).</summary>
    public Task<bool> TryWriteAsync(Func<DbConnection, DbTransaction, Task<bool>> write, CancellationToken ct) =>
        RunAsync(async (c, tx) =>
        {
            var commit = await write(c, tx);
            return (commit, commit);
        }, ct);

    private async Task<T> RunAsync<T>(Func<DbConnection, DbTransaction, Task<(bool Commit, T Result)>> write, CancellationToken ct)
    {
        if (_writes.Group is not { } group)
        {
            return await RunAloneAsync(write, ct);
        }

        var queued = new GroupedWrite<T>(write, () => RunAloneAsync(write, ct), ct);
        await group.RunAsync(queued);
        return await queued.Result;
    }

    private static (StatusChangeLog, WriteGroup?) Writes(IStorageEngine engine, StatusChangeLog log) =>
        (log, engine.CommitsQueuedWritesTogether ? new WriteGroup(engine, log) : null);

    private async Task<T> RunAloneAsync<T>(Func<DbConnection, DbTransaction, Task<(bool Commit, T Result)>> write, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var writer = await engine.EnterWriterAsync(ct);
                await using var connection = await engine.OpenForWriteAsync(ct);
                await using var tx = await engine.BeginWriteAsync(connection, ct);
                try
                {
                    var (commit, result) = await write(connection, tx);
                    if (commit)
                    {
                        await tx.CommitAsync(ct);
                        Changes.Committed(tx);
                    }
                    else
                    {
                        await tx.RollbackAsync(ct);
                    }

                    return result;
                }
                finally
                {
                    Changes.Discarded(tx);
                }
            }
            catch (Exception e) when (engine.IsRetryable(e) && attempt < Math.Max(1, options.Value.WriteAttempts))
            {
                // A conflicting writer committed first; nothing of this attempt was kept. Back off a little, with jitter.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 << Math.Min(attempt, 5))), ct);
            }
        }
    }
}
