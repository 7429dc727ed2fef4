using Acme.Tests.Support.Storage;
using Acme.Server.Storage;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Server.Storage;

/// <summary>README "Storage": every SQLite connection runs WAL with synchronous=FULL, so a committed issuance survives a power loss.</summary>
public sealed class SqliteDurabilityTests
{
    private TempSqliteFile _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempSqliteFile();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task EveryConnection_IsWalWithFullSync()
    {
        var engine = new SqliteConnectionFactory(_temp.Path, 5000);
        await new MigrationRunner(engine, new FakeTimeProvider()).RunAsync(CancellationToken.None);

        // The pragmas run once per native connection; a connection taken back from the pool must still have them.
        for (var round = 0; round < 3; round++)
        {
            await using var first = await engine.OpenAsync(CancellationToken.None);
            await using var second = await engine.OpenAsync(CancellationToken.None);
            foreach (var connection in new[] { first, second })
            {
                Assert.That(await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"), Is.EqualTo("wal"));
                Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA synchronous"), Is.EqualTo(2), "2 = FULL");
                Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"), Is.EqualTo(1));
                Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout"), Is.EqualTo(5000));
                Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA temp_store"), Is.EqualTo(2), "2 = MEMORY: the group commit's savepoint journal stays off the disk");
                Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA wal_autocheckpoint"), Is.EqualTo(SqliteConnectionFactory.WalAutocheckpointPages));
            }
        }
    }

    [Test]
    public async Task EnterWriter_SecondWriterWaitsUntilTheFirstIsDone()
    {
        var engine = new SqliteConnectionFactory(_temp.Path, 5000);
        var first = await engine.EnterWriterAsync(CancellationToken.None);
        var second = engine.EnterWriterAsync(CancellationToken.None).AsTask();

        Assert.That(second.IsCompleted, Is.False, "a second writer of this process queues behind the first");
        first!.Dispose();
        first.Dispose(); // twice is harmless: the slot is given back once
        (await second)!.Dispose();

        using var third = await engine.EnterWriterAsync(CancellationToken.None);
        var fourth = engine.EnterWriterAsync(CancellationToken.None).AsTask();
        Assert.That(fourth.IsCompleted, Is.False, "a double dispose must not have freed a second slot");
        third!.Dispose();
        (await fourth)!.Dispose();
    }

    [Test]
    public async Task EnterWriter_CancelledWhileWaiting_Throws()
    {
        var engine = new SqliteConnectionFactory(_temp.Path, 5000);
        using var held = await engine.EnterWriterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = engine.EnterWriterAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
    }
}
