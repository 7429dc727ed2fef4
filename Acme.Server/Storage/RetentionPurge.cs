using System.Data.Common;
using Dapper;

namespace Acme.Server.Storage;

/// <summary>
/// SBR 5.5.2: audit events and validation evidence are kept at least the retention period past the
/// last reliance on them. An order is relied on until the later of its expiry and its certificate's
/// notAfter; an authorization and its challenge until the last order that used them; an account
/// until its last order. Only what every link has outlived by the retention is removed.
/// </summary>
public sealed class RetentionPurge
{
    private const string Reliance =
        "WITH order_reliance AS (SELECT o.id, o.account_id, CASE WHEN o.expires > COALESCE(c.not_after, 0) THEN o.expires ELSE COALESCE(c.not_after, 0) END AS until " +
        "  FROM orders o LEFT JOIN certificates c ON c.order_id = o.id), " +
        "authz_reliance AS (SELECT oa.authorization_id AS id, MAX(r.until) AS until FROM order_authorizations oa " +
        "  JOIN order_reliance r ON r.id = oa.order_id GROUP BY oa.authorization_id), " +
        "challenge_reliance AS (SELECT h.id, a.until FROM challenges h JOIN authz_reliance a ON a.id = h.authorization_id), " +
        "account_reliance AS (SELECT account_id AS id, MAX(until) AS until FROM order_reliance GROUP BY account_id) ";

    public sealed record Result(long Events, long ChallengeMails, long Replies);

    public async Task<Result> PurgeAsync(DbConnection c, DbTransaction tx, long cutoff)
    {
        var events = await c.ExecuteAsync(Reliance +
            "DELETE FROM audit_events WHERE occurred_at < @cutoff " +
            "AND (order_id IS NULL OR order_id IN (SELECT id FROM order_reliance WHERE until < @cutoff)) " +
            "AND (authorization_id IS NULL OR authorization_id IN (SELECT id FROM authz_reliance WHERE until < @cutoff)) " +
            "AND (challenge_id IS NULL OR challenge_id IN (SELECT id FROM challenge_reliance WHERE until < @cutoff)) " +
            "AND (certificate_serial IS NULL OR certificate_serial IN (SELECT serial FROM certificates WHERE not_after < @cutoff)) " +
            "AND (account_id IS NULL OR account_id NOT IN (SELECT id FROM account_reliance WHERE until >= @cutoff))",
            new { cutoff }, tx);
        var mails = await c.ExecuteAsync(Reliance +
            "UPDATE challenge_mails SET raw_message = NULL WHERE raw_message IS NOT NULL AND created_at < @cutoff " +
            "AND challenge_id IN (SELECT id FROM challenge_reliance WHERE until < @cutoff)", new { cutoff }, tx);
        var replies = await c.ExecuteAsync(Reliance +
            "UPDATE inbound_replies SET raw_message = @empty WHERE length(raw_message) > 0 AND created_at < @cutoff " +
            "AND (challenge_id IS NULL OR challenge_id IN (SELECT id FROM challenge_reliance WHERE until < @cutoff))", new { cutoff, empty = Array.Empty<byte>() }, tx);
        return new Result(events, mails, replies);
    }
}
