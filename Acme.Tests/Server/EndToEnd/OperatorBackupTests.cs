using System.Net;
using Acme.Server.Storage;
using Acme.Tests.Support.Storage;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>Issue 12 §4 backup: a consistent copy of the SQLite database while the server keeps serving (PostgreSQL: AdminCommandsTests).</summary>
[StorageMatrix(StorageProvider.Sqlite)]
public sealed class OperatorBackupTests : OperatorCommandTestBase
{
    [Test]
    public async Task Backup_WhileServing_CopyOpensAndHoldsTheCertificates()
    {
        var client = await ClientAsync();
        var first = await IssueAsync(client, "p256", "sam@users.example.test");
        var second = await IssueAsync(client, "p384", "sam@users.example.test");
        var target = Path.Combine(Server.DataDirectory, "backup", "acme-copy.db");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        var (code, output, error) = await RunAsync("backup", "--out", target);
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain(target));
        Assert.That((await client.NewOrderAsync("sam@users.example.test")).Status, Is.EqualTo(HttpStatusCode.Created), "the server keeps serving");

        await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            await copy.OpenAsync();
            var serials = (await copy.QueryAsync<string>("SELECT serial FROM certificates")).ToList();
            Assert.That(serials, Is.EquivalentTo(new[] { Serial(first), Serial(second) }));
            Assert.That(await copy.ExecuteScalarAsync<string>("PRAGMA integrity_check"), Is.EqualTo("ok"));
        }

        var refused = await RunAsync("backup", "--out", target);
        Assert.That(refused.Code, Is.EqualTo(1));
        Assert.That(refused.Error, Does.Contain("refusing to overwrite"));
    }
}
