using System.Collections.Concurrent;
using System.Net;
using Acme.Server.Storage;
using Acme.Tests.Server.EndToEnd;
using Acme.Tests.Support.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Server.Storage;

/// <summary>
/// Issue 13: a mail-limit check far below its limit reads the per-minute counts only, not the authorizations of its
/// window (which grow with the load: a whole hour of a busy domain); an upgrade counts the last day's authorizations.
/// </summary>
[StorageMatrix(StorageProvider.Sqlite)] // the statements SQLite ran
public sealed class MailLimitMinutesTests : EndToEndTestBase
{
    private readonly ConcurrentQueue<string> _statements = new();

    protected override string[] Settings =>
        ["Mail:RunInBackground=false", "Mail:MaxChallengesPerDomainPerHour=1000000", "Mail:MaxChallengesPerAccountPerHour=1000000"];

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IStorageEngine>(sp =>
        {
            var data = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Acme.Server.Hosting.AcmeServerOptions>>().Value.DataDirectory;
            return new SqliteConnectionFactory(Path.Combine(data, "acme.db"), 5000, cs => new RecordingSqliteConnection(cs, _statements));
        });

    [Test]
    public async Task FarBelowTheLimits_NewOrdersReadNoWindowOfAuthorizations()
    {
        var client = await ClientAsync();
        for (var i = 0; i < 4; i++)
        {
            Assert.That((await client.NewOrderAsync($"busy{i}@busy.example.test")).Status, Is.EqualTo(HttpStatusCode.Created));
        }

        var windowReads = _statements.Where(s => s.Contains("FROM authorizations WHERE", StringComparison.Ordinal) && s.Contains("created_at >", StringComparison.Ordinal)).ToList();
        Assert.That(windowReads, Is.Empty, "the per-minute counts answered every check");
        var counted = await Server.Services.GetRequiredService<Database>().ReadAsync(c =>
            c.QueryAsync<(string Scope, long N)>("SELECT scope, SUM(n) FROM mail_limit_minutes GROUP BY scope ORDER BY scope"), CancellationToken.None);
        Assert.That(counted, Is.EqualTo(new[] { ("account", 4L), ("domain", 4L), ("inbox", 4L) }));
    }

    [Test]
    public async Task ANewOrder_ReadsAndCountsItsThreeWindows_AndWritesItsAuditEvents_InOneStatementEach()
    {
        var client = await ClientAsync();
        Assert.That((await client.NewOrderAsync("once@busy.example.test")).Status, Is.EqualTo(HttpStatusCode.Created));
        _statements.Clear();
        Assert.That((await client.NewOrderAsync("twice@busy.example.test")).Status, Is.EqualTo(HttpStatusCode.Created));

        var minutes = _statements.Where(s => s.Contains("mail_limit_minutes", StringComparison.Ordinal)).ToList();
        Assert.That(minutes.Count(s => s.StartsWith("SELECT", StringComparison.Ordinal)), Is.EqualTo(1), "one read for the inbox, domain and account windows");
        Assert.That(minutes.Count(s => s.StartsWith("INSERT", StringComparison.Ordinal)), Is.EqualTo(1), "one statement counts the order in all three");
        Assert.That(_statements.Count(s => s.StartsWith("INSERT INTO audit_events", StringComparison.Ordinal)), Is.EqualTo(1),
            "the authorization's, the CAA check's and the order's events in one statement");
        var counted = await Server.Services.GetRequiredService<Database>().ReadAsync(c =>
            c.QueryAsync<(string Scope, string Subject, long N)>("SELECT scope, subject, SUM(n) FROM mail_limit_minutes GROUP BY scope, subject ORDER BY scope, subject"),
            CancellationToken.None);
        Assert.That(counted.Where(r => r.Scope != "account"), Is.EqualTo(new[]
        {
            ("domain", "busy.example.test", 2L), ("inbox", "once@busy.example.test", 1L), ("inbox", "twice@busy.example.test", 1L),
        }));
        Assert.That(counted.Single(r => r.Scope == "account").N, Is.EqualTo(2));
    }

    [Test]
    public async Task MinutesOlderThanADay_ArePurgedOncePerMinute_NotWithEveryOrder()
    {
        var client = await ClientAsync();
        var db = Server.Services.GetRequiredService<Database>();
        var before = Purges(); // the server and its statements are the fixture's
        var dayAgo = (Server.Time.GetUtcNow() - TimeSpan.FromDays(1)).ToUnixTimeMilliseconds() / 60_000;
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO mail_limit_minutes (scope, subject, minute, n) VALUES ('inbox', 'old@busy.example.test', @m, 1), ('inbox', 'older@busy.example.test', @n, 1)",
            new { m = dayAgo - 1, n = dayAgo + 1 }, tx), CancellationToken.None);

        for (var i = 0; i < 3; i++)
        {
            Assert.That((await client.NewOrderAsync($"first{i}@busy.example.test")).Status, Is.EqualTo(HttpStatusCode.Created));
        }

        Assert.That(Purges() - before, Is.EqualTo(1), "three orders in one minute, one purge");
        Assert.That(await OldSubjectsAsync(db), Is.EqualTo(new[] { "older@busy.example.test" }), "the minute before the day went, the one after stays");

        Server.Time.Advance(TimeSpan.FromMinutes(3));
        Assert.That((await client.NewOrderAsync("later@busy.example.test")).Status, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await client.NewOrderAsync("later2@busy.example.test")).Status, Is.EqualTo(HttpStatusCode.Created));

        Assert.That(Purges() - before, Is.EqualTo(2), "a later minute purges again, once");
        Assert.That(await OldSubjectsAsync(db), Is.Empty, "now a day old too");
    }

    private int Purges() => _statements.Count(s => s.StartsWith("DELETE FROM mail_limit_minutes", StringComparison.Ordinal));

    private static async Task<IReadOnlyList<string>> OldSubjectsAsync(Database db) =>
        (await db.ReadAsync(c => c.QueryAsync<string>("SELECT subject FROM mail_limit_minutes WHERE subject LIKE 'old%' ORDER BY subject"), CancellationToken.None)).AsList();

    [Test]
    public async Task Upgrade_CountsTheLastDaysAuthorizations()
    {
        using var file = new TempSqliteFile();
        var engine = new SqliteConnectionFactory(file.Path, 5000);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var c = await engine.OpenAsync(CancellationToken.None))
        {
            await c.ExecuteAsync("PRAGMA journal_mode = WAL; CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
            foreach (var (version, name, sql) in MigrationRunner.LoadMigrations("Sqlite").Where(m => m.Version < 10))
            {
                await c.ExecuteAsync(sql);
                await c.ExecuteAsync("INSERT INTO schema_migrations VALUES (@version, @name, 0)", new { version, name });
            }

            await c.ExecuteAsync("INSERT INTO accounts (id, key_thumbprint, jwk, key_spki, contacts, status, tos_agreed, created_at) VALUES ('a1', 't', '{}', x'00', '[]', 'valid', 0, 0)");
            foreach (var (id, at) in new[] { ("z1", now - 600_000), ("z2", now - 600_000), ("z3", now - 2 * 86_400_000L) })
            {
                await c.ExecuteAsync(
                    "INSERT INTO authorizations (id, account_id, identifier, identifier_type, status, expires, created_at, recipient_key, recipient_domain) " +
                    "VALUES (@id, 'a1', 'u@old.example.test', 'email', 'pending', @at, @at, 'u@old.example.test', 'old.example.test')", new { id, at });
            }
        }

        Assert.That(await new MigrationRunner(engine, new FakeTimeProvider()).RunAsync(CancellationToken.None),
            Is.EqualTo(MigrationRunner.LoadMigrations("Sqlite").Count(m => m.Version >= 10)), "0010 and every later one");
        await using var after = await engine.OpenAsync(CancellationToken.None);
        var rows = await after.QueryAsync<(string Scope, string Subject, long N)>("SELECT scope, subject, n FROM mail_limit_minutes ORDER BY scope");
        Assert.That(rows, Is.EqualTo(new[] { ("account", "a1", 2L), ("domain", "old.example.test", 2L), ("inbox", "u@old.example.test", 2L) }),
            "the two of the last day, not the one of two days ago");
    }
}
