using System.Data.Common;
using Dapper;

namespace Acme.Server.Storage;

/// <summary>
/// Applies the numbered SQL files of the engine's folder in <c>Storage/Migrations</c> (embedded
/// resources) that the database has not seen, each in its own transaction, under the engine's
/// migration lock so that instances starting together apply each file once.
/// </summary>
public sealed class MigrationRunner(IStorageEngine engine, TimeProvider time)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var migrationLock = await engine.LockForMigrationAsync(connection, ct);
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
        var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations")).ToHashSet();

        var count = 0;
        foreach (var (version, name, sql) in LoadMigrations(engine.MigrationFolder))
        {
            if (applied.Contains(version))
            {
                continue;
            }

            await using var tx = await BeginAsync(connection, ct);
            await connection.ExecuteAsync(sql, transaction: tx);
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                new { version, name, at = time.GetUtcNow().ToUnixTimeMilliseconds() },
                tx);
            await tx.CommitAsync(ct);
            count++;
        }

        return count;
    }

    /// <summary>The embedded migrations of one engine folder, by version.</summary>
    public static IEnumerable<(long Version, string Name, string Sql)> LoadMigrations(string folder)
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var prefix = $"Acme.Server.Storage.Migrations.{folder}.";
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var name = resource[prefix.Length..];
            var version = long.Parse(name[..name.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return (version, name, reader.ReadToEnd());
        }
    }

    // DDL runs in a plain transaction on both engines (SQLite: BEGIN IMMEDIATE; PostgreSQL: the lock above serializes).
    private async Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken ct) =>
        engine.Provider == StorageProvider.Sqlite ? await engine.BeginWriteAsync(connection, ct) : await connection.BeginTransactionAsync(ct);
}
