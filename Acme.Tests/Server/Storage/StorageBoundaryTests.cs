using System.Text.RegularExpressions;

namespace Acme.Tests.Server.Storage;

/// <summary>
/// Issue 11 item 1: all SQL and every database-provider type stay in <c>Acme.Server/Storage</c>, and only the
/// stores' named transitions write a status column, so a second engine needs changes in one folder only.
/// </summary>
public sealed partial class StorageBoundaryTests
{
    [GeneratedRegex(@"""\s*(SELECT|UPDATE|INSERT|DELETE|WITH)\s", RegexOptions.IgnoreCase)]
    private static partial Regex SqlText();

    [GeneratedRegex(@"\b(Microsoft\.Data\.Sqlite|Npgsql|Dapper|SqliteException|SqliteConnection|NpgsqlConnection|PostgresException)\b")]
    private static partial Regex ProviderType();

    [Test]
    public void OutsideStorage_NoSqlText_NoProviderTypes_NoStatusWriter()
    {
        var server = Path.Combine(RepositoryRoot(), "Acme.Server");
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(server, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(server, file).Replace('\\', '/');
            if (relative.StartsWith("Storage/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal))
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (SqlText().IsMatch(lines[i]) || ProviderType().IsMatch(lines[i]) || lines[i].Contains("StatusWriter.", StringComparison.Ordinal))
                {
                    offenders.Add($"{relative}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.That(offenders, Is.Empty, string.Join(Environment.NewLine, offenders));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Acme.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Acme.sln not found above " + AppContext.BaseDirectory);
    }
}
