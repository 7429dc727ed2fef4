using Acme.Server.Storage;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Server.Storage;

/// <summary>README "Storage": every SQLite connection runs WAL with synchronous=FULL, so a committed issuance survives a power loss.</summary>
public sealed class SqliteDurabilityTests
{
    [Test]
    public async Task EveryConnection_IsWalWithFullSync()
    {
        var file = Path.Combine(Path.GetTempPath(), "acme-durability-" + Guid.NewGuid().ToString("N") + ".db");
        var engine = new SqliteConnectionFactory(file, 5000);
        try
        {
            await new MigrationRunner(engine, new FakeTimeProvider()).RunAsync(CancellationToken.None);
            await using var connection = await engine.OpenAsync(CancellationToken.None);

            Assert.That(await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"), Is.EqualTo("wal"));
            Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA synchronous"), Is.EqualTo(2), "2 = FULL");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var path in new[] { file, file + "-wal", file + "-shm" }.Where(File.Exists))
            {
                File.Delete(path);
            }
        }
    }
}
