using System.Data.Common;
using Dapper;

namespace Acme.Server.Storage;

/// <summary>The append-only audit table; events are written in the transaction of the change they record.</summary>
public sealed class AuditStore(TimeProvider time)
{
    public Task AppendAsync(DbConnection c, DbTransaction tx, AuditEvent e) =>
        c.ExecuteAsync(
            "INSERT INTO audit_events (occurred_at, actor, event, account_id, order_id, authorization_id, challenge_id, certificate_serial, detail) " +
            "VALUES (@at, @Actor, @Event, @AccountId, @OrderId, @AuthorizationId, @ChallengeId, @CertificateSerial, @Detail)",
            new { at = time.GetUtcNow().ToUnixTimeMilliseconds(), e.Actor, e.Event, e.AccountId, e.OrderId, e.AuthorizationId, e.ChallengeId, e.CertificateSerial, e.Detail }, tx);

    /// <summary>Events about any of the given resources, in the order they were written.</summary>
    public async Task<IReadOnlyList<(long At, string Actor, string Event, string Detail)>> ForResourcesAsync(
        DbConnection c, IReadOnlyCollection<string> orderIds, IReadOnlyCollection<string> authorizationIds, IReadOnlyCollection<string> challengeIds, string? serial) =>
        (await c.QueryAsync<(long, string, string, string)>(
            "SELECT occurred_at, actor, event, detail FROM audit_events WHERE order_id IN @orderIds OR authorization_id IN @authorizationIds " +
            "OR challenge_id IN @challengeIds OR certificate_serial = @serial ORDER BY id",
            new { orderIds, authorizationIds, challengeIds, serial })).AsList();
}
