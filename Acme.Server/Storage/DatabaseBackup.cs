using Dapper;

namespace Acme.Server.Storage;

/// <summary>
/// A consistent copy of the SQLite database while the server runs: <c>VACUUM INTO</c> reads one snapshot
/// (WAL readers do not block the writers, nor they it) and writes a compacted, self-contained file.
/// </summary>
public sealed class DatabaseBackup(IStorageEngine engine)
{
    public async Task<BackupResult> CopyToAsync(string path, CancellationToken ct)
    {
        if (engine.Provider != StorageProvider.Sqlite)
        {
            return BackupResult.NotSupported;
        }

        if (File.Exists(path))
        {
            return BackupResult.TargetExists;
        }

        await using var connection = await engine.OpenAsync(ct);
        // SQLite refuses VACUUM INTO an existing non-empty file too, so a file created meanwhile is never overwritten.
        await connection.ExecuteAsync(new CommandDefinition("VACUUM INTO @path", new { path }, cancellationToken: ct));
        return BackupResult.Written;
    }
}
