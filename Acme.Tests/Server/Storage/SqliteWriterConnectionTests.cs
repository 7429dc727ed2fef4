using Acme.Server.Storage;
using Acme.Tests.Support.Storage;
using Dapper;
using Microsoft.Extensions.Options;
using SQLitePCL;

namespace Acme.Tests.Server.Storage;

/// <summary>
/// Issue 13: in WAL mode a SQLite connection empties its page cache whenever another connection has committed since
/// its last transaction. Writes run on one connection kept for them, so the pages a write touches are still cached
/// for the next write, however the readers' connections came and went in between.
/// </summary>
public sealed class SqliteWriterConnectionTests
{
    // SQLITE_DBSTATUS_CACHE_MISS (sqlite3.h): pages the connection had to read because its cache lacked them.
    private const int CacheMiss = 8;

    private TempSqliteFile _file = null!;
    private SqliteConnectionFactory _engine = null!;
    private Database _db = null!;

    [SetUp]
    public async Task SetUp()
    {
        _file = new TempSqliteFile();
        _engine = new SqliteConnectionFactory(_file.Path, 5000);
        _db = new Database(_engine, Options.Create(new StorageOptions()));
        await using var c = await _engine.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync("PRAGMA journal_mode = WAL; CREATE TABLE t (v INTEGER PRIMARY KEY, w TEXT NOT NULL); CREATE INDEX ix_t_w ON t (w);");
    }

    [TearDown]
    public async Task TearDown()
    {
        await _engine.DisposeAsync();
        _file.Dispose();
    }

    [Test]
    public async Task AWriteAfterAnotherOne_FindsItsPagesCached_ThoughAReaderCameAndWentBetween()
    {
        for (var v = 1; v <= 200; v++)
        {
            await _db.WriteAsync((c, tx) => c.ExecuteAsync("INSERT INTO t VALUES (@v, @w)", new { v, w = $"row {v:D4}" }, tx), CancellationToken.None);
        }

        // A reader holds its own connection while the next write commits, then gives it back to the pool.
        var reader = await _engine.OpenAsync(CancellationToken.None);
        Assert.That(await reader.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t WHERE w >= 'row'"), Is.EqualTo(200));
        await _db.WriteAsync((c, tx) => c.ExecuteAsync("INSERT INTO t VALUES (201, 'row 0201')", null, tx), CancellationToken.None);
        await reader.DisposeAsync();

        var misses = await _db.WriteAsync(async (c, tx) =>
        {
            var handle = ((PooledSqliteConnection)c).Inner.Handle!;
            raw.sqlite3_db_status(handle, CacheMiss, out _, out _, 1); // from zero
            await c.ExecuteAsync("INSERT INTO t VALUES (202, 'row 0202')", null, tx);
            Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t WHERE w >= 'row'", null, tx), Is.EqualTo(202));
            raw.sqlite3_db_status(handle, CacheMiss, out var missed, out _, 0);
            return missed;
        }, CancellationToken.None);

        Assert.That(misses, Is.Zero, "the write ran on the connection of the writes before it, its cache intact");
    }

    [Test]
    public async Task WritesAndReadsSideBySide_SeeEachOthersCommits()
    {
        var reads = new List<long>();
        for (var v = 1; v <= 5; v++)
        {
            await using var reader = await _engine.OpenAsync(CancellationToken.None);
            await _db.WriteAsync((c, tx) => c.ExecuteAsync("INSERT INTO t VALUES (@v, 'x')", new { v }, tx), CancellationToken.None);
            reads.Add(await reader.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t"));
            Assert.That(await _db.WriteAsync((c, tx) => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t", null, tx), CancellationToken.None), Is.EqualTo(v));
        }

        Assert.That(reads, Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }));
    }
}
