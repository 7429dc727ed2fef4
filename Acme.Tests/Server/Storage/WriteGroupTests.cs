using Acme.Server.Storage;
using Acme.Tests.Support.Storage;
using Dapper;
using Microsoft.Extensions.Options;

namespace Acme.Tests.Server.Storage;

/// <summary>
/// Issue 13: on SQLite the writes that queue behind another share one transaction and one commit, and each
/// keeps the outcome it would have alone (its own rollback, its own exception, nothing kept of a lost commit).
/// </summary>
public sealed class WriteGroupTests
{
    private TempSqliteFile _file = null!;
    private BreakableStorageEngine _engine = null!;
    private Recorder _observed = null!;
    private Database _db = null!;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _statements = new();

    [SetUp]
    public async Task SetUp()
    {
        _file = new TempSqliteFile();
        _engine = new BreakableStorageEngine(new SqliteConnectionFactory(_file.Path, 5000, cs => new RecordingSqliteConnection(cs, _statements)));
        _observed = new Recorder();
        _db = new Database(_engine, Options.Create(new StorageOptions()), new StatusChangeLog([_observed]));
        await using var c = await _engine.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync("PRAGMA journal_mode = WAL; CREATE TABLE t (v INTEGER PRIMARY KEY); CREATE TABLE parent (id INTEGER PRIMARY KEY); " +
            "CREATE TABLE child (pid INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);");
    }

    [TearDown]
    public void TearDown() => _file.Dispose();

    [Test]
    public async Task WritesQueuedTogether_CommitOnce_EachSeesTheOnesBefore()
    {
        var writes = await WhileTheLockIsHeld(() => Enumerable.Range(1, 5).Select(v => _db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("INSERT INTO t (v) VALUES (@v)", new { v }, tx);
            Note(tx, v);
            return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t", transaction: tx);
        }, CancellationToken.None)).ToList());

        Assert.That(await Task.WhenAll(writes.Cast<Task<long>>()), Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }), "in queue order, each after the ones before");
        Assert.That(_engine.WriteTransactions, Is.EqualTo(1), "five writes, one transaction");
        Assert.That(await Rows(), Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }));
        Assert.That(_observed.Changes.Select(c => c.To), Is.EqualTo(new[] { "1", "2", "3", "4", "5" }));
    }

    [Test]
    public async Task KeptWrites_LeaveTheirSavepointsToTheCommit_AnUndoneOneRollsBackOnlyItsOwn()
    {
        _statements.Clear();
        var writes = await WhileTheLockIsHeld(() => new Task[]
        {
            Insert(1),
            Insert(2),
            _db.TryWriteAsync(async (c, tx) =>
            {
                await c.ExecuteAsync("INSERT INTO t (v) VALUES (3)", transaction: tx);
                return false;
            }, CancellationToken.None),
            Insert(4),
        });

        await Task.WhenAll(writes);
        var grouped = _statements.Where(s => s.Contains("grouped_write", StringComparison.Ordinal)).ToList();
        Assert.That(grouped.Count(s => s.StartsWith("SAVEPOINT", StringComparison.Ordinal)), Is.EqualTo(4), "one savepoint per write");
        Assert.That(grouped.Count(s => s.StartsWith("ROLLBACK TO", StringComparison.Ordinal)), Is.EqualTo(1), "only the declined write is undone");
        Assert.That(grouped.Count(s => s.Contains("RELEASE", StringComparison.Ordinal)), Is.Zero, "no statement per kept write: the commit ends the savepoints");
        Assert.That(_engine.WriteTransactions, Is.EqualTo(1));
        Assert.That(await Rows(), Is.EqualTo(new long[] { 1, 2, 4 }), "the writes before and after the undone one are kept");
    }

    [Test]
    public async Task AWriteThatThrowsOrDeclines_IsUndoneAlone()
    {
        var writes = await WhileTheLockIsHeld(() => new Task[]
        {
            Insert(1),
            _db.WriteAsync<bool>(async (c, tx) =>
            {
                await c.ExecuteAsync("INSERT INTO t (v) VALUES (2)", transaction: tx);
                Note(tx, 2);
                throw new InvalidOperationException("the second write failed");
            }, CancellationToken.None),
            _db.TryWriteAsync(async (c, tx) =>
            {
                await c.ExecuteAsync("INSERT INTO t (v) VALUES (3)", transaction: tx);
                Note(tx, 3);
                return false;
            }, CancellationToken.None),
            Insert(4),
        });

        await writes[0];
        Assert.That(async () => await writes[1], Throws.InvalidOperationException.With.Message.EqualTo("the second write failed"));
        Assert.That(await (Task<bool>)writes[2], Is.False);
        await writes[3];
        Assert.That(_engine.WriteTransactions, Is.EqualTo(1));
        Assert.That(await Rows(), Is.EqualTo(new long[] { 1, 4 }));
        Assert.That(_observed.Changes.Select(c => c.To), Is.EqualTo(new[] { "1", "4" }), "the changes of undone writes are not told");
    }

    [Test]
    public async Task ACommitThatFails_RunsEachWriteAgainAlone()
    {
        // A deferred foreign key is checked at COMMIT: the shared commit fails, and nothing of it is kept.
        var writes = await WhileTheLockIsHeld(() => new Task[]
        {
            Insert(1),
            _db.WriteAsync(async (c, tx) => await c.ExecuteAsync("INSERT INTO child (pid) VALUES (99)", transaction: tx), CancellationToken.None),
            Insert(2),
        });

        await writes[0];
        await writes[2];
        Assert.That(async () => await writes[1], Throws.InstanceOf<Microsoft.Data.Sqlite.SqliteException>(), "alone, its own commit fails");
        Assert.That(_engine.WriteTransactions, Is.EqualTo(4), "the shared one, then each of the three alone");
        Assert.That(await Rows(), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(_observed.Changes.Select(c => c.To), Is.EqualTo(new[] { "1", "2" }), "each told once, by the commit that kept it");
    }

    [Test]
    public async Task AWriteWhoseCallerGaveUpWhileQueued_IsNotRun()
    {
        using var cancel = new CancellationTokenSource();
        var writes = await WhileTheLockIsHeld(() =>
        {
            var queued = new Task[] { Insert(1), Insert(2, cancel.Token), Insert(3) };
            cancel.Cancel();
            return queued;
        });

        await writes[0];
        Assert.That(async () => await writes[1], Throws.InstanceOf<OperationCanceledException>());
        await writes[2];
        Assert.That(await Rows(), Is.EqualTo(new long[] { 1, 3 }));
    }

    [Test]
    public async Task AWriteQueuedJustAfterTheLeaderTookTheLock_JoinsItsCommit()
    {
        // One task at a time: what the leader yields to runs only once this body awaits, so the second write is queued by then.
        var oneAtATime = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;
        await Task.Factory.StartNew(async () =>
        {
            var first = Insert(1);
            var second = Insert(2);
            await Task.WhenAll(first, second);
        }, CancellationToken.None, TaskCreationOptions.None, oneAtATime).Unwrap();

        Assert.That(_engine.WriteTransactions, Is.EqualTo(1), "the leader let the write queued behind it join");
        Assert.That(await Rows(), Is.EqualTo(new long[] { 1, 2 }));
    }

    /// <summary>Starts the writes while another writer holds the lock, so they queue, then lets them run.</summary>
    private async Task<IReadOnlyList<Task>> WhileTheLockIsHeld(Func<IReadOnlyList<Task>> start)
    {
        var held = await _engine.EnterWriterAsync(CancellationToken.None);
        IReadOnlyList<Task> writes;
        try
        {
            writes = start();
            Assert.That(writes.Any(w => w.IsCompleted), Is.False, "queued behind the held lock");
        }
        finally
        {
            held!.Dispose();
        }

        await Task.WhenAll(writes).ContinueWith(_ => { }, TaskScheduler.Default);
        return writes;
    }

    private Task<long> Insert(long v, CancellationToken ct = default) => _db.WriteAsync(async (c, tx) =>
    {
        Note(tx, v);
        return (long)await c.ExecuteAsync("INSERT INTO t (v) VALUES (@v)", new { v }, tx);
    }, ct);

    private void Note(System.Data.Common.DbTransaction tx, long v) => _db.Changes.Note(tx, new StatusChange("row", StatusChange.Created, v.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private Task<long[]> Rows() => _db.ReadAsync(async c => (await c.QueryAsync<long>("SELECT v FROM t ORDER BY v")).ToArray(), CancellationToken.None);

    private sealed class Recorder : IStatusChangeObserver
    {
        private readonly Lock _gate = new();
        private readonly List<StatusChange> _changes = [];

        public IReadOnlyList<StatusChange> Changes
        {
            get
            {
                lock (_gate)
                {
                    return [.. _changes];
                }
            }
        }

        public void OnCommitted(StatusChange change)
        {
            lock (_gate)
            {
                _changes.Add(change);
            }
        }
    }
}
