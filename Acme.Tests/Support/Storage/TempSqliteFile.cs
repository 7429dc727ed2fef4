namespace Acme.Tests.Support.Storage;

/// <summary>A SQLite file in the temporary folder, deleted with its WAL and shared-memory files (pooled connections closed first).</summary>
public sealed class TempSqliteFile : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "acme-test-" + Guid.NewGuid().ToString("N") + ".db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" }.Where(File.Exists))
        {
            File.Delete(file);
        }
    }
}
