using System.Collections.Concurrent;
using Acme.Server.Storage;
using Acme.Tests.Support.Storage;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Server.Storage;

/// <summary>
/// Issue 13: the audit indexes hold only the events that name their resource (migration 0011), and the audit report
/// still finds every event of a certificate through them, without reading the whole audit table.
/// </summary>
public sealed class AuditIndexTests
{
    private TempSqliteFile _temp = null!;
    private readonly ConcurrentQueue<string> _statements = new();
    private SqliteConnectionFactory _engine = null!;

    [SetUp]
    public async Task SetUp()
    {
        _temp = new TempSqliteFile();
        _engine = new SqliteConnectionFactory(_temp.Path, 5000, cs => new RecordingSqliteConnection(cs, _statements));
        await new MigrationRunner(_engine, new FakeTimeProvider()).RunAsync(CancellationToken.None);
        var audit = new AuditStore(new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000)));
        await using var c = await _engine.OpenAsync(CancellationToken.None);
        await using var tx = await c.BeginTransactionAsync();
        foreach (var e in new[]
                 {
                     new AuditEvent("account.created", "client", "{}") { AccountId = "acc" },
                     new AuditEvent("order.created", "client", "{}") { AccountId = "acc", OrderId = "ord" },
                     new AuditEvent("authorization.created", "client", "{}") { AccountId = "acc", AuthorizationId = "authz", ChallengeId = "chal" },
                     new AuditEvent("challenge.mail-sent", "server", "{}") { AccountId = "acc", ChallengeId = "chal" },
                     new AuditEvent("reply.received", "server", "{}"),
                     new AuditEvent("certificate.issued", "server", "{}") { AccountId = "acc", OrderId = "ord", CertificateSerial = "01ab" },
                     new AuditEvent("order.created", "client", "{}") { AccountId = "acc", OrderId = "other" },
                 })
        {
            await audit.AppendAsync(c, tx, e);
        }

        await tx.CommitAsync();
    }

    [TearDown]
    public void TearDown()
    {
        _engine.Dispose();
        _temp.Dispose();
    }

    [Test]
    public async Task EachIndex_HoldsOnlyTheEventsThatNameItsResource()
    {
        await using var c = await _engine.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync("ANALYZE audit_events;");
        // sqlite_stat1's first number for an index is how many entries it has.
        var entries = (await c.QueryAsync<(string Index, string Stat)>("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'audit_events'"))
            .ToDictionary(r => r.Index, r => int.Parse(r.Stat.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(entries.GetValueOrDefault("ix_audit_order"), Is.EqualTo(3), "the events that name an order, of 7");
        Assert.That(entries.GetValueOrDefault("ix_audit_authorization"), Is.EqualTo(1));
        Assert.That(entries.GetValueOrDefault("ix_audit_challenge"), Is.EqualTo(2));
        Assert.That(entries.GetValueOrDefault("ix_audit_serial"), Is.EqualTo(1));
        Assert.That(entries.GetValueOrDefault("ix_audit_time"), Is.EqualTo(7), "the purge's time index keeps every event");
        Assert.That(entries, Does.Not.ContainKey("ix_audit_account"), "no query reads events by account");
    }

    [Test]
    public async Task AuditReportQuery_FindsTheEvents_ThroughTheIndexes()
    {
        _statements.Clear();
        await using var c = await _engine.OpenAsync(CancellationToken.None);
        var events = await new AuditStore(TimeProvider.System).ForResourcesAsync(c, ["ord"], ["authz"], ["chal"], "01ab");

        Assert.That(events.Select(e => e.Event), Is.EqualTo(new[]
        {
            "order.created", "authorization.created", "challenge.mail-sent", "certificate.issued",
        }));
        var sql = _statements.Single(s => s.Contains("FROM audit_events", StringComparison.Ordinal));
        var parameters = new DynamicParameters(new { o0 = "ord", a0 = "authz", h0 = "chal", serial = "01ab" });
        var plan = (await c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql, parameters)).Select(r => r.Detail).ToList();
        Assert.That(plan, Has.None.StartsWith("SCAN audit_events"), string.Join(Environment.NewLine, plan));
        Assert.That(plan.Where(d => d.Contains("USING INDEX ix_audit_", StringComparison.Ordinal)).ToList(), Has.Count.EqualTo(4), string.Join(Environment.NewLine, plan));
    }
}
