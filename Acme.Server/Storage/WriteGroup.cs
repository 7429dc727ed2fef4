using System.Data.Common;
using Dapper;

namespace Acme.Server.Storage;

/// <summary>
/// Group commit for an engine with one writer at a time (SQLite): the writes of this process that queue while
/// another runs are run one after the other in a single transaction, each inside a savepoint of its own, and
/// committed together, so the whole queue pays one commit and one log sync instead of one each (issue 13).
/// </summary>
/// <remarks>
/// Each write keeps the meaning it has alone: it sees the writes before it, a write that throws or asks for a
/// rollback is undone to its savepoint and told so, the others go on, and none returns before its work is
/// committed. When the shared transaction itself fails (the savepoint cannot be undone, or the commit fails),
/// nothing of it was kept, and every write whose outcome was not yet told is run again on its own, as
/// <see cref="Database"/> runs writes (write callbacks must already bear being run again). A writer that
/// finds nobody running its queue runs it itself (the leader); it hands what queued meanwhile to a pool thread.
/// </remarks>
internal sealed class WriteGroup(IStorageEngine engine, StatusChangeLog changes)
{
    /// <summary>At most this many writes share one transaction, so one commit never waits on an unbounded queue.</summary>
    public const int MaxWrites = 32;

    /// <summary>
    /// With fewer writes than this queued when the lock is taken, the leader first lets the work already queued on the
    /// thread pool run, at most <see cref="GatherYields"/> times, so writes about to queue join this commit.
    /// </summary>
    public const int GatherTarget = 4;

    /// <summary>How many times the leader yields to the thread pool for <see cref="GatherTarget"/>; no clock is involved.</summary>
    public const int GatherYields = 2;

    private const string Savepoint = "grouped_write";

    private readonly Lock _gate = new();
    private readonly Queue<IGroupedWrite> _queue = new();
    private bool _running;

    /// <summary>Queues <paramref name="write"/> and returns once it has been committed or undone.</summary>
    public Task RunAsync(IGroupedWrite write)
    {
        bool lead;
        lock (_gate)
        {
            _queue.Enqueue(write);
            lead = !_running;
            _running = true;
        }

        return lead ? LeadThenAwaitAsync(write) : write.Outcome;
    }

    private async Task LeadThenAwaitAsync(IGroupedWrite own)
    {
        await RunQueueOnceAsync();
        await own.Outcome;
    }

    private async Task RunQueueOnceAsync()
    {
        bool more;
        IReadOnlyList<IGroupedWrite> lost;
        try
        {
            // The batch is taken once the lock is ours: whatever queued while waiting for it joins.
            using var slot = await engine.EnterWriterAsync(CancellationToken.None);
            await GatherAsync();
            List<IGroupedWrite> batch = [];
            lock (_gate)
            {
                while (batch.Count < MaxWrites && _queue.TryDequeue(out var next))
                {
                    batch.Add(next);
                }
            }

            lost = await RunBatchAsync(batch);
        }
        finally
        {
            lock (_gate)
            {
                more = _queue.Count > 0;
                _running = more;
            }
        }

        if (more)
        {
            // What queued meanwhile runs on a pool thread, so this caller's request is not kept waiting on others.
            _ = Task.Run(RunQueueOnceAsync);
        }

        // Nothing of a lost transaction was kept: each write not yet told runs again alone, outside the slot it takes itself.
        await Task.WhenAll(lost.Select(w => w.RunAloneAsync()));
    }

    /// <summary>
    /// Under load, 39 % of the commits carried a single write, each paying a log sync and a page of every b-tree it
    /// touched: the leader took the lock and the batch at once, before requests a step from their write got to run.
    /// Yielding once or twice (work items queued before ours run first) brought singles to 6-10 % and the mean batch
    /// from 3.3 to about 5 writes (issue 13); with nothing else queued a yield costs microseconds.
    /// </summary>
    private async Task GatherAsync()
    {
        for (var i = 0; i < GatherYields; i++)
        {
            lock (_gate)
            {
                if (_queue.Count >= GatherTarget)
                {
                    return;
                }
            }

            await Task.Yield();
        }
    }

    /// <summary>Runs the batch in one transaction and tells each write its outcome; returns those to run again alone.</summary>
    private async Task<IReadOnlyList<IGroupedWrite>> RunBatchAsync(List<IGroupedWrite> batch)
    {
        var committed = new List<IGroupedWrite>(batch.Count);
        var kept = false;
        var pending = batch.Where(w => !w.CancelIfRequested()).ToList();
        if (pending.Count == 0)
        {
            return [];
        }

        try
        {
            await using var connection = await engine.OpenForWriteAsync(CancellationToken.None);
            await using var tx = await engine.BeginWriteAsync(connection, CancellationToken.None);
            try
            {
                foreach (var write in pending)
                {
                    if (await RunInSavepointAsync(write, connection, tx))
                    {
                        committed.Add(write);
                    }
                }

                await tx.CommitAsync(CancellationToken.None);
                kept = true;
                changes.Committed(tx);
            }
            finally
            {
                changes.Discarded(tx);
            }
        }
        catch (Exception e) when (kept)
        {
            // Committed, then an observer failed: as a write run alone, each caller hears of it after its commit.
            committed.ForEach(w => w.Undone(e));
            return [];
        }
        catch (Exception)
        {
            return pending.Where(w => !w.Outcome.IsCompleted).ToList();
        }

        committed.ForEach(w => w.Committed());
        return [];
    }

    /// <summary>True when the write is to be committed; false when it was undone and already told its outcome.</summary>
    private async Task<bool> RunInSavepointAsync(IGroupedWrite write, DbConnection connection, DbTransaction tx)
    {
        if (write.CancelIfRequested())
        {
            return false;
        }

        await connection.ExecuteAsync($"SAVEPOINT {Savepoint}", transaction: tx);
        var mark = changes.Mark(tx);
        bool keep;
        Exception? failure = null;
        try
        {
            keep = await write.RunAsync(connection, tx);
        }
        catch (Exception e)
        {
            keep = false;
            failure = e;
        }

        if (keep)
        {
            // Not released: the next write's savepoint of the same name stacks on this one, ROLLBACK TO undoes only
            // the newest of that name, and the commit ends them all. A RELEASE per write was 8.4 statements of 82 per
            // issuance (issue 13).
            return true;
        }

        // Undone alone; if this fails the shared transaction is lost and the caller's catch runs the rest alone.
        changes.Forget(tx, mark);
        await connection.ExecuteAsync($"ROLLBACK TO {Savepoint}", transaction: tx);
        write.Undone(failure);
        return false;
    }
}
