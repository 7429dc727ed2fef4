using System.Collections.Concurrent;
using Acme.Server.Storage;
using Acme.Tests.Support.Storage;
using Dapper;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Server.Storage;

/// <summary>Issue 13: the audit events of one change go in as one multi-row INSERT, in their order, every column kept.</summary>
public sealed class AuditStoreBatchTests
{
    private readonly ConcurrentQueue<string> _statements = new();
    private TempSqliteFile _file = null!;
    private SqliteConnectionFactory _engine = null!;
    private Database _db = null!;

    [SetUp]
    public async Task SetUp()
    {
        _file = new TempSqliteFile();
        _engine = new SqliteConnectionFactory(_file.Path, 5000, cs => new RecordingSqliteConnection(cs, _statements));
        _db = new Database(_engine, Options.Create(new StorageOptions()));
        await new MigrationRunner(_engine, new FakeTimeProvider()).RunAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _engine.DisposeAsync();
        _file.Dispose();
    }

    [Test]
    public async Task SeveralEvents_OneStatementPer32_InTheirOrder_WithEveryColumn()
    {
        var store = new AuditStore(new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000)));
        var events = Enumerable.Range(0, 40).Select(i => new AuditEvent($"test.event-{i}", i % 2 == 0 ? "system" : "account:a" + i, $"detail {i}")
        {
            AccountId = i % 3 == 0 ? null : "a" + i,
            OrderId = i % 4 == 0 ? "o" + i : null,
            AuthorizationId = i == 7 ? "z7" : null,
            ChallengeId = i == 8 ? "h8" : null,
            CertificateSerial = i == 39 ? "0a39" : null,
        }).ToList();
        _statements.Clear();

        await _db.WriteAsync(async (c, tx) =>
        {
            await store.AppendAsync(c, tx, events);
            return true;
        }, CancellationToken.None);

        Assert.That(_statements.Count(s => s.StartsWith("INSERT INTO audit_events", StringComparison.Ordinal)), Is.EqualTo(2), "32 rows, then 8");
        var rows = (await _db.ReadAsync(c => c.QueryAsync<(long At, string Actor, string Event, string? AccountId, string? OrderId, string? AuthorizationId, string? ChallengeId, string? Serial, string Detail)>(
            "SELECT occurred_at, actor, event, account_id, order_id, authorization_id, challenge_id, certificate_serial, detail FROM audit_events ORDER BY id"),
            CancellationToken.None)).ToList();
        Assert.That(rows.Select(r => (r.At, r.Actor, r.Event, r.AccountId, r.OrderId, r.AuthorizationId, r.ChallengeId, r.Serial, r.Detail)),
            Is.EqualTo(events.Select(e => (1_700_000_000_000L, e.Actor, e.Event, e.AccountId, e.OrderId, e.AuthorizationId, e.ChallengeId, e.CertificateSerial, e.Detail))));
    }
}
