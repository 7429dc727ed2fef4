using System.Reflection;
using Dapper;

namespace Acme.Server.Storage;

/// <summary>
/// Applies the numbered SQL files in <c>Storage/Migrations</c> (embedded resources) that the
/// database has not seen, each in its own transaction, and switches the database to WAL.
/// </summary>
public sealed class MigrationRunner(SqliteConnectionFactory factory, TimeProvider time)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var connection = await factory.OpenAsync(ct);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
        var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations")).ToHashSet();

        var count = 0;
        foreach (var (version, name, sql) in LoadMigrations())
        {
            if (applied.Contains(version))
            {
                continue;
            }

            await using var tx = await SqliteConnectionFactory.BeginWriteAsync(connection, ct);
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

    private static IEnumerable<(long Version, string Name, string Sql)> LoadMigrations()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        const string prefix = "Acme.Server.Storage.Migrations.";
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var name = resource[prefix.Length..];
            var version = long.Parse(name[..name.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return (version, name, reader.ReadToEnd());
        }
    }
}
