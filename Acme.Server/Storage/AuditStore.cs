using System.Data.Common;
using Dapper;

namespace Acme.Server.Storage;

/// <summary>The append-only audit table; events are written in the transaction of the change they record.</summary>
public sealed class AuditStore(TimeProvider time) : IAuditStore
{
    // Rows per INSERT: far below SQLite's and PostgreSQL's limits on parameters (8 per row).
    private const int RowsPerStatement = 32;

    private const string Insert =
        "INSERT INTO audit_events (occurred_at, actor, event, account_id, order_id, authorization_id, challenge_id, certificate_serial, detail) VALUES ";

    public Task AppendAsync(DbConnection c, DbTransaction tx, AuditEvent e) =>
        c.ExecuteAsync(
            Insert + "(@at, @Actor, @Event, @AccountId, @OrderId, @AuthorizationId, @ChallengeId, @CertificateSerial, @Detail)",
            new { at = time.GetUtcNow().ToUnixTimeMilliseconds(), e.Actor, e.Event, e.AccountId, e.OrderId, e.AuthorizationId, e.ChallengeId, e.CertificateSerial, e.Detail }, tx);

    /// <summary>
    /// The events of one change as one multi-row INSERT (issue 13: an order wrote its authorizations', its CAA and its
    /// own event one statement each); rows keep the list's order, so their ids do too.
    /// </summary>
    public async Task AppendAsync(DbConnection c, DbTransaction tx, IReadOnlyList<AuditEvent> events)
    {
        var at = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var chunk in events.Chunk(RowsPerStatement))
        {
            var parameters = new DynamicParameters(new { at });
            var rows = new string[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                var e = chunk[i];
                parameters.Add($"a{i}", e.Actor);
                parameters.Add($"e{i}", e.Event);
                parameters.Add($"ac{i}", e.AccountId);
                parameters.Add($"o{i}", e.OrderId);
                parameters.Add($"au{i}", e.AuthorizationId);
                parameters.Add($"h{i}", e.ChallengeId);
                parameters.Add($"s{i}", e.CertificateSerial);
                parameters.Add($"d{i}", e.Detail);
                rows[i] = $"(@at, @a{i}, @e{i}, @ac{i}, @o{i}, @au{i}, @h{i}, @s{i}, @d{i})";
            }

            await c.ExecuteAsync(Insert + string.Join(", ", rows), parameters, tx);
        }
    }

    /// <summary>
    /// The validation evidence of a challenge (SBR 3.2.2.4): the method, the challenge mail as sent and
    /// the reply it was validated with, as raw bytes.
    /// </summary>
    public async Task<ChallengeEvidence> EvidenceOfChallengeAsync(DbConnection c, string challengeId) =>
        await c.QuerySingleOrDefaultAsync<ChallengeEvidence>(
            "SELECT h.validation_method AS Method, h.validation_reply_id AS ReplyId, m.raw_message AS Mail, m.message_id AS MessageId, " +
            "r.raw_message AS Reply FROM challenges h LEFT JOIN challenge_mails m ON m.challenge_id = h.id " +
            "LEFT JOIN inbound_replies r ON r.id = h.validation_reply_id WHERE h.id = @challengeId",
            new { challengeId }) ?? new ChallengeEvidence();

    /// <summary>Events about any of the given resources, in the order they were written.</summary>
    public async Task<IReadOnlyList<(long At, string Actor, string Event, string Detail)>> ForResourcesAsync(
        DbConnection c, IReadOnlyCollection<string> orderIds, IReadOnlyCollection<string> authorizationIds, IReadOnlyCollection<string> challengeIds, string? serial)
    {
        var parameters = new DynamicParameters(new { serial });
        var sql = "SELECT occurred_at, actor, event, detail FROM audit_events WHERE " +
                  $"{InList("order_id", "o", orderIds, parameters)} OR {InList("authorization_id", "a", authorizationIds, parameters)} " +
                  $"OR {InList("challenge_id", "h", challengeIds, parameters)} OR certificate_serial = @serial ORDER BY id";
        return (await c.QueryAsync<(long, string, string, string)>(sql, parameters)).AsList();
    }

    // "column IN (@p0, @p1…)" with one parameter per value: Dapper expands a list itself only for engines
    // without array parameters, and PostgreSQL would need "= ANY(@list)" instead.
    private static string InList(string column, string prefix, IReadOnlyCollection<string> values, DynamicParameters parameters)
    {
        if (values.Count == 0)
        {
            return "1 = 0";
        }

        var names = values.Select((value, i) =>
        {
            parameters.Add(prefix + i, value);
            return "@" + prefix + i;
        });
        return $"{column} IN ({string.Join(", ", names)})";
    }
}
