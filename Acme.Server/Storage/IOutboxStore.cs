using System.Data.Common;
using Acme.Server.Lifecycle;

namespace Acme.Server.Storage;

/// <summary>The challenge-mail outbox: the store seam the workflows use (<see cref="OutboxStore"/> implements it for both engines).</summary>
public interface IOutboxStore
{
    Task InsertAsync(DbConnection c, DbTransaction tx, ChallengeMailRow row);

    Task<IReadOnlyList<ChallengeMailRow>> DueAsync(DbConnection c, long now, int limit);

    Task<IReadOnlyList<ChallengeMailRow>> DueInOrderAsync(DbConnection c, long now, long delay, int limit);

    Task<ChallengeMailRow?> TryClaimAsync(DbConnection c, DbTransaction tx, string id, long now, long leaseUntil);

    Task<bool> RenewClaimAsync(DbConnection c, DbTransaction tx, string id, long attempts, long leaseUntil);

    Task<bool> MarkSentAsync(DbConnection c, DbTransaction tx, string id, long attempts, string messageId, byte[] raw, long now);

    Task<bool> ScheduleRetryAsync(DbConnection c, DbTransaction tx, string id, long attempts, long nextAttemptAt, string error);

    Task<bool> MarkFailedAsync(DbConnection c, DbTransaction tx, string id, long attempts, string error);

    Task<bool> RequeueFailedAsync(DbConnection c, DbTransaction tx, string id, long now);

    Task<IReadOnlyList<ChallengeMailRow>> ListAsync(DbConnection c, IReadOnlyCollection<ChallengeMailStatus> statuses, int limit);

    Task<ChallengeMailRow?> FindAsync(DbConnection c, string id);

    Task<ChallengeMailRow?> FindByChallengeAsync(DbConnection c, string challengeId);

    Task<ChallengeMailRow?> FindByMessageIdAsync(DbConnection c, string messageId);

    /// <summary>When the oldest mail still waiting to go out (queued or being sent) was queued, in Unix milliseconds; null when none waits.</summary>
    Task<long?> OldestWaitingCreatedAtAsync(DbConnection c);
}
