using Acme.Server.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Support.Storage;

/// <summary>A migrated, empty database of the running fixture's engine (<see cref="StorageMatrixAttribute"/>), for store-level tests.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly IStorageEngine _engine;
    private readonly string? _sqliteFile;

    private TestDatabase(IStorageEngine engine, string? sqliteFile, StatusChangeLog? changes)
    {
        _engine = engine;
        _sqliteFile = sqliteFile;
        Database = new Database(engine, Options.Create(new StorageOptions { Provider = engine.Provider }), changes);
    }

    public Database Database { get; }

    /// <param name="changes">Where the stores' status changes go (none observed when null).</param>
    public static async Task<TestDatabase> CreateAsync(StatusChangeLog? changes = null)
    {
        string? file = null;
        IStorageEngine engine;
        if (StorageMatrixAttribute.ProviderOfCurrentTest() == StorageProvider.PostgreSql)
        {
            engine = new PostgreSqlEngine(PostgreSqlTestServer.Require().CreateDatabase());
        }
        else
        {
            file = Path.Combine(Path.GetTempPath(), "acme-store-" + Guid.NewGuid().ToString("N") + ".db");
            engine = new SqliteConnectionFactory(file, 5000);
        }

        await new MigrationRunner(engine, new FakeTimeProvider()).RunAsync(CancellationToken.None);
        return new TestDatabase(engine, file, changes);
    }

    public async ValueTask DisposeAsync()
    {
        if (_engine is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        if (_sqliteFile is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm" }.Where(File.Exists))
            {
                File.Delete(file);
            }
        }
    }
}
