using System.Collections.Concurrent;
using System.Data.Common;
using Acme.Server.Storage;
using Acme.Tests.Support.Storage;
using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Acme.Tests.Server.Storage;

/// <summary>
/// Issue 13: SQLite connections stay open between uses with their statements prepared, so SQL is parsed once per
/// connection, not at every call; a use still starts as if the connection were new (no transaction, no parameters).
/// </summary>
public sealed class SqliteStatementCacheTests
{
    private const string Query = "SELECT v FROM t WHERE v = @v";

    // SQLITE_STMTSTATUS_RUN: how many times the statement has run (sqlite3.h).
    private const int StatusRun = 6;

    private TempSqliteFile _file = null!;
    private ConcurrentQueue<SqliteConnection> _opened = null!;
    private SqliteConnectionFactory _engine = null!;

    [SetUp]
    public async Task SetUp()
    {
        _file = new TempSqliteFile();
        _opened = new ConcurrentQueue<SqliteConnection>();
        _engine = new SqliteConnectionFactory(_file.Path, 5000, cs =>
        {
            var connection = new SqliteConnection(cs);
            // SQLitePCL lists a connection's statements only when asked to right after it opens.
            connection.StateChange += (_, e) =>
            {
                if (e.CurrentState == System.Data.ConnectionState.Open)
                {
                    connection.Handle!.enable_sqlite3_next_stmt(true);
                }
            };
            _opened.Enqueue(connection);
            return connection;
        });
        await using var c = await _engine.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync("PRAGMA journal_mode = WAL; CREATE TABLE t (v INTEGER PRIMARY KEY); INSERT INTO t VALUES (1), (2), (3);");
    }

    [TearDown]
    public async Task TearDown()
    {
        await _engine.DisposeAsync();
        _file.Dispose();
    }

    [Test]
    public async Task TheSameSql_OverManyUses_RunsOnePreparedStatement()
    {
        for (var v = 1; v <= 10; v++)
        {
            await using var c = await _engine.OpenAsync(CancellationToken.None);
            Assert.That(await c.QuerySingleOrDefaultAsync<long?>(Query, new { v = (v % 3) + 1 }), Is.EqualTo((v % 3) + 1));
        }

        Assert.That(_opened, Has.Count.EqualTo(1), "one connection served the eleven uses one after another");
        var runs = PreparedStatements(_opened.Single()).Where(s => s.Sql == Query).Select(s => s.Runs).ToList();
        Assert.That(runs, Is.EqualTo(new[] { 10 }), "one statement for the text, run ten times: parsed once");
    }

    [Test]
    public async Task ParametersOfOneUse_DoNotCarryOverToTheNext()
    {
        await using (var c = await _engine.OpenAsync(CancellationToken.None))
        {
            Assert.That(await c.QuerySingleOrDefaultAsync<long?>(Query, new { v = 2 }), Is.EqualTo(2));
        }

        await using var again = await _engine.OpenAsync(CancellationToken.None);
        Assert.That(async () => await again.QuerySingleOrDefaultAsync<long?>(Query), Throws.InstanceOf<InvalidOperationException>(),
            "a use that binds no value must fail as on a new connection, not run with the last one's");
        Assert.That(await again.QuerySingleOrDefaultAsync<long?>(Query, new { v = 7 }), Is.Null);
    }

    [Test]
    public async Task ATransactionLeftOpen_IsRolledBack_AndTheNextUseStartsOutsideIt()
    {
        await using (var c = await _engine.OpenAsync(CancellationToken.None))
        {
            var tx = await _engine.BeginWriteAsync(c, CancellationToken.None);
            await c.ExecuteAsync("INSERT INTO t VALUES (4)", transaction: tx);
        }

        await using (var c = await _engine.OpenAsync(CancellationToken.None))
        {
            await c.ExecuteAsync("BEGIN IMMEDIATE; INSERT INTO t VALUES (5);");
        }

        await using var after = await _engine.OpenAsync(CancellationToken.None);
        Assert.That(await after.QueryAsync<long>("SELECT v FROM t ORDER BY v"), Is.EqualTo(new long[] { 1, 2, 3 }));
        await after.ExecuteAsync("INSERT INTO t VALUES (6)");
        Assert.That(_opened, Has.Count.EqualTo(2), "the connection left inside a BEGIN of its SQL was closed, not handed out again");
    }

    [Test]
    public async Task ACommandGivenNoTransaction_RunsInThePendingOne_AndOutsideOnceItEnded()
    {
        await using var c = await _engine.OpenAsync(CancellationToken.None);
        await using (var tx = await _engine.BeginWriteAsync(c, CancellationToken.None))
        {
            await c.ExecuteAsync("INSERT INTO t VALUES (4)");
            Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t"), Is.EqualTo(4));
            await tx.RollbackAsync();
        }

        await using (var tx = await _engine.BeginWriteAsync(c, CancellationToken.None))
        {
            await c.ExecuteAsync("INSERT INTO t VALUES (5)", transaction: tx);
            await tx.CommitAsync();
        }

        await c.ExecuteAsync("INSERT INTO t VALUES (6)");
        Assert.That(await c.QueryAsync<long>("SELECT v FROM t ORDER BY v"), Is.EqualTo(new long[] { 1, 2, 3, 5, 6 }));
    }

    [Test]
    public async Task AReaderLeftOpen_DoesNotBlockTheNextUseOfItsSql()
    {
        await using (var c = await _engine.OpenAsync(CancellationToken.None))
        {
            var command = c.CreateCommand();
            command.CommandText = "SELECT v FROM t";
            var reader = await command.ExecuteReaderAsync();
            Assert.That(await reader.ReadAsync(), Is.True);
            await command.DisposeAsync();
        }

        await using var next = await _engine.OpenAsync(CancellationToken.None);
        Assert.That(await next.QueryAsync<long>("SELECT v FROM t"), Is.EqualTo(new long[] { 1, 2, 3 }));
        await next.ExecuteAsync("INSERT INTO t VALUES (4)");
    }

    [Test]
    public async Task ConnectionsUsedSideBySide_EachHaveTheirOwn_AndAnEndedLeaseIsClosed()
    {
        var first = await _engine.OpenAsync(CancellationToken.None);
        await using (var second = await _engine.OpenAsync(CancellationToken.None))
        {
            Assert.That(await first.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t"), Is.EqualTo(3));
            Assert.That(await second.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t"), Is.EqualTo(3));
        }

        await first.DisposeAsync();
        Assert.That(first.State, Is.EqualTo(System.Data.ConnectionState.Closed));
        Assert.That(() => first.CreateCommand().ExecuteScalar(), Throws.InstanceOf<InvalidOperationException>());
        Assert.That(_opened, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Dispose_ClosesTheIdleConnections()
    {
        await using (var c = await _engine.OpenAsync(CancellationToken.None))
        {
            await c.ExecuteAsync("SELECT 1");
        }

        await _engine.DisposeAsync();

        Assert.That(_opened.Select(c => c.State), Is.All.EqualTo(System.Data.ConnectionState.Closed));
        Assert.That(async () => await _engine.OpenAsync(CancellationToken.None), Throws.InstanceOf<ObjectDisposedException>());
    }

    /// <summary>The statements prepared on the connection's native handle, with how often each ran.</summary>
    private static List<(string Sql, int Runs)> PreparedStatements(DbConnection connection)
    {
        var handle = ((SqliteConnection)connection).Handle!;
        List<(string, int)> found = [];
        for (var stmt = raw.sqlite3_next_stmt(handle, null); stmt is not null; stmt = raw.sqlite3_next_stmt(handle, stmt))
        {
            found.Add((raw.sqlite3_sql(stmt).utf8_to_string(), raw.sqlite3_stmt_status(stmt, StatusRun, 0)));
        }

        return found;
    }
}
