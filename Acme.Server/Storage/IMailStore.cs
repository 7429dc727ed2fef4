using System.Data.Common;

namespace Acme.Server.Storage;

/// <summary>Inbound replies and the mailbox cursor: the store seam the workflows use (<see cref="MailStore"/> implements it for both engines).</summary>
public interface IMailStore
{
    Task<bool> TryRecordReplyAsync(DbConnection c, DbTransaction tx, InboundReplyRow row);

    Task<IReadOnlyList<InboundReplyRow>> DueRepliesAsync(DbConnection c, long now, int limit);

    Task<bool> DeferReplyAsync(DbConnection c, DbTransaction tx, string id, long attempts, long nextAttemptAt, string error);

    Task MarkReplyProcessedAsync(DbConnection c, DbTransaction tx, string id, string? challengeId, string outcome, string detail, long now);

    Task<(long UidValidity, long LastUid)?> FindCursorAsync(DbConnection c, string name);

    Task SaveCursorAsync(DbConnection c, DbTransaction tx, string name, long uidValidity, long lastUid);

    Task<ChallengeRow?> FindChallengeByFromAsync(DbConnection c, string fromAddress);
}
