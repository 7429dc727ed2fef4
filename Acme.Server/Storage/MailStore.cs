using System.Data.Common;
using Dapper;

namespace Acme.Server.Storage;

/// <summary>The inbound replies and the mailbox cursor (RFC 8823 §3 step 6).</summary>
public sealed class MailStore : IMailStore
{
    private const string ReplyColumns =
        "id AS Id, source_id AS SourceId, raw_message AS RawMessage, received_at AS ReceivedAt, challenge_id AS ChallengeId, " +
        "outcome AS Outcome, detail AS Detail, processed_at AS ProcessedAt, created_at AS CreatedAt, attempts AS Attempts, " +
        "next_attempt_at AS NextAttemptAt, last_error AS LastError";

    /// <summary>Records an inbound message once per source; false when it was recorded before.</summary>
    public async Task<bool> TryRecordReplyAsync(DbConnection c, DbTransaction tx, InboundReplyRow row) =>
        await c.ExecuteAsync(
            "INSERT INTO inbound_replies (id, source_id, raw_message, received_at, created_at) VALUES (@Id, @SourceId, @RawMessage, @ReceivedAt, @CreatedAt) " +
            "ON CONFLICT (source_id) DO NOTHING", row, tx) == 1;

    /// <summary>Unjudged replies whose next attempt is due, earliest first (a deferred reply waits its turn).</summary>
    public async Task<IReadOnlyList<InboundReplyRow>> DueRepliesAsync(DbConnection c, long now, int limit) =>
        (await c.QueryAsync<InboundReplyRow>(
            $"SELECT {ReplyColumns} FROM inbound_replies WHERE processed_at IS NULL AND next_attempt_at <= @now ORDER BY next_attempt_at, created_at, id LIMIT @limit",
            new { now, limit })).AsList();

    /// <summary>A reply that could not be judged yet (a temporary failure): counted and put back until <paramref name="nextAttemptAt"/>.</summary>
    public async Task<bool> DeferReplyAsync(DbConnection c, DbTransaction tx, string id, long attempts, long nextAttemptAt, string error) =>
        await c.ExecuteAsync(
            "UPDATE inbound_replies SET attempts = @attempts, next_attempt_at = @nextAttemptAt, last_error = @error WHERE id = @id AND processed_at IS NULL AND attempts = @previous",
            new { id, attempts, nextAttemptAt, error, previous = attempts - 1 }, tx) == 1;

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
