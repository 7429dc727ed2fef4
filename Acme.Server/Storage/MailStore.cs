using System.Data.Common;
using Dapper;

namespace Acme.Server.Storage;

/// <summary>The challenge-mail outbox and the inbound replies (RFC 8823 §3 steps 4 and 6).</summary>
public sealed class MailStore
{
    private const string MailColumns =
        "id AS Id, challenge_id AS ChallengeId, account_id AS AccountId, recipient AS Recipient, status AS Status, attempts AS Attempts, " +
        "next_attempt_at AS NextAttemptAt, expires_at AS ExpiresAt, last_error AS LastError, message_id AS MessageId, " +
        "raw_message AS RawMessage, sent_at AS SentAt, created_at AS CreatedAt";

    private const string ReplyColumns =
        "id AS Id, source_id AS SourceId, raw_message AS RawMessage, received_at AS ReceivedAt, challenge_id AS ChallengeId, " +
        "outcome AS Outcome, detail AS Detail, processed_at AS ProcessedAt, created_at AS CreatedAt";

    public Task InsertMailAsync(DbConnection c, DbTransaction tx, ChallengeMailRow row) =>
        c.ExecuteAsync(
            "INSERT INTO challenge_mails (id, challenge_id, account_id, recipient, status, attempts, next_attempt_at, expires_at, created_at) " +
            "VALUES (@Id, @ChallengeId, @AccountId, @Recipient, @Status, 0, @NextAttemptAt, @ExpiresAt, @CreatedAt)", row, tx);

    public async Task<IReadOnlyList<ChallengeMailRow>> DueMailsAsync(DbConnection c, long now, int limit) =>
        (await c.QueryAsync<ChallengeMailRow>(
            $"SELECT {MailColumns} FROM challenge_mails WHERE status = 'queued' AND next_attempt_at <= @now ORDER BY next_attempt_at LIMIT @limit",
            new { now, limit })).AsList();

    public Task<ChallengeMailRow?> FindMailByChallengeAsync(DbConnection c, string challengeId) =>
        c.QuerySingleOrDefaultAsync<ChallengeMailRow>($"SELECT {MailColumns} FROM challenge_mails WHERE challenge_id = @challengeId", new { challengeId });

    public Task<ChallengeMailRow?> FindMailByMessageIdAsync(DbConnection c, string messageId) =>
        c.QuerySingleOrDefaultAsync<ChallengeMailRow>($"SELECT {MailColumns} FROM challenge_mails WHERE message_id = @messageId", new { messageId = messageId.Trim('<', '>') });

    /// <summary>Compare-and-set on the queued state, so two senders never both deliver one mail.</summary>
    public async Task<bool> MarkSentAsync(DbConnection c, DbTransaction tx, string id, long attempts, string messageId, byte[] raw, long now) =>
        await c.ExecuteAsync(
            "UPDATE challenge_mails SET status = 'sent', attempts = @attempts, message_id = @messageId, raw_message = @raw, sent_at = @now, last_error = NULL " +
            "WHERE id = @id AND status = 'queued' AND attempts = @previous",
            new { id, attempts, messageId, raw, now, previous = attempts - 1 }, tx) == 1;

    public async Task<bool> ScheduleRetryAsync(DbConnection c, DbTransaction tx, string id, long attempts, long nextAttemptAt, string error) =>
        await c.ExecuteAsync(
            "UPDATE challenge_mails SET attempts = @attempts, next_attempt_at = @nextAttemptAt, last_error = @error WHERE id = @id AND status = 'queued' AND attempts = @previous",
            new { id, attempts, nextAttemptAt, error, previous = attempts - 1 }, tx) == 1;

    public async Task<bool> MarkFailedAsync(DbConnection c, DbTransaction tx, string id, long attempts, string error) =>
        await c.ExecuteAsync(
            "UPDATE challenge_mails SET status = 'failed', attempts = @attempts, last_error = @error WHERE id = @id AND status = 'queued'",
            new { id, attempts, error }, tx) == 1;

    /// <summary>Records an inbound message once per source; false when it was recorded before.</summary>
    public async Task<bool> TryRecordReplyAsync(DbConnection c, DbTransaction tx, InboundReplyRow row) =>
        await c.ExecuteAsync(
            "INSERT INTO inbound_replies (id, source_id, raw_message, received_at, created_at) VALUES (@Id, @SourceId, @RawMessage, @ReceivedAt, @CreatedAt) " +
            "ON CONFLICT (source_id) DO NOTHING", row, tx) == 1;

    public async Task<IReadOnlyList<InboundReplyRow>> UnprocessedRepliesAsync(DbConnection c, int limit) =>
        (await c.QueryAsync<InboundReplyRow>(
            $"SELECT {ReplyColumns} FROM inbound_replies WHERE processed_at IS NULL ORDER BY created_at, id LIMIT @limit", new { limit })).AsList();

    public Task MarkReplyProcessedAsync(DbConnection c, DbTransaction tx, string id, string? challengeId, string outcome, string detail, long now) =>
        c.ExecuteAsync(
            "UPDATE inbound_replies SET challenge_id = @challengeId, outcome = @outcome, detail = @detail, processed_at = @now WHERE id = @id AND processed_at IS NULL",
            new { id, challengeId, outcome, detail, now }, tx);

    public Task<(long UidValidity, long LastUid)?> FindCursorAsync(DbConnection c, string name) =>
        c.QuerySingleOrDefaultAsync<(long, long)?>("SELECT uid_validity, last_uid FROM mailbox_cursors WHERE name = @name", new { name });

    public Task SaveCursorAsync(DbConnection c, DbTransaction tx, string name, long uidValidity, long lastUid) =>
        c.ExecuteAsync(
            "INSERT INTO mailbox_cursors (name, uid_validity, last_uid) VALUES (@name, @uidValidity, @lastUid) " +
            "ON CONFLICT (name) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid",
            new { name, uidValidity, lastUid }, tx);

    public Task<ChallengeRow?> FindChallengeByFromAsync(DbConnection c, string fromAddress) =>
        c.QueryFirstOrDefaultAsync<ChallengeRow>(
            "SELECT id AS Id, authorization_id AS AuthorizationId, type AS Type, status AS Status, token_part2 AS TokenPart2, from_address AS FromAddress, " +
            "token_part1 AS TokenPart1, token_part1_created_at AS TokenPart1CreatedAt, client_responded_at AS ClientRespondedAt, " +
            "reply_verified_at AS ReplyVerifiedAt, validated_at AS ValidatedAt, error AS Error, created_at AS CreatedAt " +
            "FROM challenges WHERE from_address = @fromAddress", new { fromAddress });
}
