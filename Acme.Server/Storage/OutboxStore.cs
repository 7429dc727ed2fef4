using System.Data.Common;
using Acme.Server.Lifecycle;
using Acme.Server.Protocol;
using Dapper;

namespace Acme.Server.Storage;

/// <summary>
/// The challenge-mail outbox (RFC 8823 §3 step 4). A mail moves queued → sending (claimed, with a
/// lease) → sent | queued (retry) | failed. Every change is a compare-and-set on the claim (status and
/// attempt number), so two senders, in one process or several, never both deliver one mail.
/// </summary>
/// <param name="changes">Where queued, sent, retried and failed mails are noted for the metrics.</param>
public sealed class OutboxStore(StatusChangeLog changes) : IOutboxStore
{
    private const string Resource = "challenge_mail";

    private const string Columns =
        "id AS Id, challenge_id AS ChallengeId, account_id AS AccountId, recipient AS Recipient, status AS Status, attempts AS Attempts, " +
        "next_attempt_at AS NextAttemptAt, expires_at AS ExpiresAt, last_error AS LastError, message_id AS MessageId, " +
        "raw_message AS RawMessage, sent_at AS SentAt, created_at AS CreatedAt";

    public async Task InsertAsync(DbConnection c, DbTransaction tx, ChallengeMailRow row)
    {
        await c.ExecuteAsync(
            "INSERT INTO challenge_mails (id, challenge_id, account_id, recipient, status, attempts, next_attempt_at, expires_at, created_at) " +
            "VALUES (@Id, @ChallengeId, @AccountId, @Recipient, 'queued', 0, @NextAttemptAt, @ExpiresAt, @CreatedAt)", row, tx);
        changes.Note(tx, new StatusChange(Resource, StatusChange.Created, "queued"));
    }

    /// <summary>When the oldest mail still waiting to go out (queued or being sent) was queued; null when none waits.</summary>
    public Task<long?> OldestWaitingCreatedAtAsync(DbConnection c) =>
        c.ExecuteScalarAsync<long?>("SELECT MIN(created_at) FROM challenge_mails WHERE status IN ('queued', 'sending')");

    /// <summary>Mails due now: queued ones whose time has come, and claims whose lease ran out (the sender died).</summary>
    public async Task<IReadOnlyList<ChallengeMailRow>> DueAsync(DbConnection c, long now, int limit) =>
        (await c.QueryAsync<ChallengeMailRow>(
            $"SELECT {Columns} FROM (SELECT * FROM challenge_mails WHERE status = 'queued' AND next_attempt_at <= @now ORDER BY next_attempt_at LIMIT @limit) q " +
            $"UNION ALL SELECT {Columns} FROM (SELECT * FROM challenge_mails WHERE status = 'sending' AND lease_until <= @now ORDER BY lease_until LIMIT @limit) l " +
            "ORDER BY NextAttemptAt LIMIT @limit",
            new { now, limit })).AsList();

    /// <summary>
    /// As <see cref="DueAsync"/>, holding back each queued mail until every earlier authorization of its
    /// order is settled: its reply was recorded at least <paramref name="delay"/> ago, or it is no longer
    /// pending (already valid, reused, or failed). One challenge mail at a time per order, in
    /// authorization order (acme_email reads only the newest message it is told about).
    /// </summary>
    public async Task<IReadOnlyList<ChallengeMailRow>> DueInOrderAsync(DbConnection c, long now, long delay, int limit) =>
        (await c.QueryAsync<ChallengeMailRow>(
            $"SELECT {Columns} FROM (SELECT m.* FROM challenge_mails m " +
            "JOIN challenges h ON h.id = m.challenge_id JOIN order_authorizations oa ON oa.authorization_id = h.authorization_id " +
            "WHERE m.status = 'queued' AND m.next_attempt_at <= @now AND NOT EXISTS (" +
            "SELECT 1 FROM order_authorizations p JOIN authorizations pa ON pa.id = p.authorization_id JOIN challenges ph ON ph.authorization_id = pa.id " +
            "WHERE p.order_id = oa.order_id AND p.position < oa.position AND pa.status = 'pending' AND ph.status IN ('pending', 'processing') " +
            "AND (ph.reply_verified_at IS NULL OR ph.reply_verified_at > @now - @delay)) " +
            "ORDER BY m.next_attempt_at LIMIT @limit) q " +
            $"UNION ALL SELECT {Columns} FROM (SELECT * FROM challenge_mails WHERE status = 'sending' AND lease_until <= @now ORDER BY lease_until LIMIT @limit) l " +
            "ORDER BY NextAttemptAt LIMIT @limit",
            new { now, delay, limit })).AsList();

    /// <summary>
    /// Claims a due mail for one send attempt: queued (or sending with an expired lease) → sending, the
    /// attempt counted, the lease set. Null when another sender claimed it first.
    /// </summary>
    public Task<ChallengeMailRow?> TryClaimAsync(DbConnection c, DbTransaction tx, string id, long now, long leaseUntil)
    {
        Edge(ChallengeMailStatus.Queued, ChallengeMailStatus.Sending);
        Edge(ChallengeMailStatus.Sending, ChallengeMailStatus.Sending); // a claim whose lease ran out
        return c.QuerySingleOrDefaultAsync<ChallengeMailRow>(
            "UPDATE challenge_mails SET status = 'sending', attempts = attempts + 1, lease_until = @leaseUntil " +
            "WHERE id = @id AND ((status = 'queued' AND next_attempt_at <= @now) OR (status = 'sending' AND lease_until <= @now)) " +
            $"RETURNING {Columns}",
            new { id, now, leaseUntil }, tx);
    }

    /// <summary>The sender of the claimed attempt is alive: its lease runs on until <paramref name="leaseUntil"/>.</summary>
    public async Task<bool> RenewClaimAsync(DbConnection c, DbTransaction tx, string id, long attempts, long leaseUntil) =>
        await c.ExecuteAsync(
            "UPDATE challenge_mails SET lease_until = @leaseUntil WHERE id = @id AND status = 'sending' AND attempts = @attempts",
            new { id, attempts, leaseUntil }, tx) == 1;

    /// <summary>The claimed attempt was accepted by the mail system.</summary>
    public async Task<bool> MarkSentAsync(DbConnection c, DbTransaction tx, string id, long attempts, string messageId, byte[] raw, long now) =>
        Edge(ChallengeMailStatus.Sending, ChallengeMailStatus.Sent) &&
        await c.ExecuteAsync(
            "UPDATE challenge_mails SET status = 'sent', message_id = @messageId, raw_message = @raw, sent_at = @now, last_error = NULL, lease_until = NULL " +
            "WHERE id = @id AND status = 'sending' AND attempts = @attempts",
            new { id, attempts, messageId, raw, now }, tx) == 1 &&
        Noted(tx, ChallengeMailStatus.Sending, ChallengeMailStatus.Sent);

    /// <summary>The claimed attempt failed for now: back to queued until <paramref name="nextAttemptAt"/>.</summary>
    public async Task<bool> ScheduleRetryAsync(DbConnection c, DbTransaction tx, string id, long attempts, long nextAttemptAt, string error) =>
        Edge(ChallengeMailStatus.Sending, ChallengeMailStatus.Queued) &&
        await c.ExecuteAsync(
            "UPDATE challenge_mails SET status = 'queued', next_attempt_at = @nextAttemptAt, last_error = @error, lease_until = NULL " +
            "WHERE id = @id AND status = 'sending' AND attempts = @attempts",
            new { id, attempts, nextAttemptAt, error }, tx) == 1 &&
        Noted(tx, ChallengeMailStatus.Sending, ChallengeMailStatus.Queued);

    /// <summary>The claimed attempt ends the mail: it will never be sent.</summary>
    public async Task<bool> MarkFailedAsync(DbConnection c, DbTransaction tx, string id, long attempts, string error) =>
        Edge(ChallengeMailStatus.Sending, ChallengeMailStatus.Failed) &&
        await c.ExecuteAsync(
            "UPDATE challenge_mails SET status = 'failed', last_error = @error, lease_until = NULL WHERE id = @id AND status = 'sending' AND attempts = @attempts",
            new { id, attempts, error }, tx) == 1 &&
        Noted(tx, ChallengeMailStatus.Sending, ChallengeMailStatus.Failed);

    /// <summary>The operator puts a failed mail back in the queue, due at <paramref name="now"/> (the attempt count goes on).</summary>
    public async Task<bool> RequeueFailedAsync(DbConnection c, DbTransaction tx, string id, long now) =>
        Edge(ChallengeMailStatus.Failed, ChallengeMailStatus.Queued) &&
        await c.ExecuteAsync(
            "UPDATE challenge_mails SET status = 'queued', next_attempt_at = @now, lease_until = NULL WHERE id = @id AND status = 'failed'",
            new { id, now }, tx) == 1;

    /// <summary>Mails in any of <paramref name="statuses"/>, oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<ChallengeMailRow>> ListAsync(DbConnection c, IReadOnlyCollection<ChallengeMailStatus> statuses, int limit)
    {
        var names = statuses.Select((s, i) => (Name: "s" + i, Value: StatusText.Of(s))).ToList();
        var parameters = new DynamicParameters(new { limit });
        names.ForEach(n => parameters.Add(n.Name, n.Value));
        return (await c.QueryAsync<ChallengeMailRow>(
            $"SELECT {Columns} FROM challenge_mails WHERE status IN ({string.Join(", ", names.Select(n => "@" + n.Name))}) ORDER BY created_at, id LIMIT @limit",
            parameters)).AsList();
    }

    public Task<ChallengeMailRow?> FindAsync(DbConnection c, string id) =>
        c.QuerySingleOrDefaultAsync<ChallengeMailRow>($"SELECT {Columns} FROM challenge_mails WHERE id = @id", new { id });

    public Task<ChallengeMailRow?> FindByChallengeAsync(DbConnection c, string challengeId) =>
        c.QuerySingleOrDefaultAsync<ChallengeMailRow>($"SELECT {Columns} FROM challenge_mails WHERE challenge_id = @challengeId", new { challengeId });

    public Task<ChallengeMailRow?> FindByMessageIdAsync(DbConnection c, string messageId) =>
        c.QuerySingleOrDefaultAsync<ChallengeMailRow>($"SELECT {Columns} FROM challenge_mails WHERE message_id = @messageId", new { messageId = messageId.Trim('<', '>') });

    private bool Noted(DbTransaction tx, ChallengeMailStatus from, ChallengeMailStatus to)
    {
        changes.Note(tx, new StatusChange(Resource, Protocol.StatusText.Of(from), Protocol.StatusText.Of(to)));
        return true;
    }

    // Every change is an edge of Transitions.ChallengeMail; asking for another is a programming error.
    private static bool Edge(ChallengeMailStatus from, ChallengeMailStatus to)
    {
        Transitions.ChallengeMail.Ensure(from, to);
        return true;
    }
}
