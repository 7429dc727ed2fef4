using System.Data.Common;
using Acme.Server.Protocol;

namespace Acme.Server.Storage;

/// <summary>Orders, their authorizations and challenges, and every status change of them: the store seam the workflows use (<see cref="OrderStore"/> implements it for both engines).</summary>
public interface IOrderStore
{
    Task<OrderRow?> FindOrderAsync(DbConnection c, string id, DbTransaction? tx = null);

    Task<IReadOnlyList<AuthorizationRow>> AuthorizationsOfOrderAsync(DbConnection c, string orderId, DbTransaction? tx = null);

    Task<IReadOnlyList<string>> OrderIdsOfAuthorizationAsync(DbConnection c, DbTransaction tx, string authorizationId);

    Task<AuthorizationRow?> FindAuthorizationAsync(DbConnection c, string id, DbTransaction? tx = null);

    Task<AuthorizationRow?> FindReusableAuthorizationAsync(DbConnection c, DbTransaction? tx, string accountId, string identifier, string? identifierType, long validUntilAtLeast);

    Task<bool> IsReplacedAsync(DbConnection c, DbTransaction tx, string replaces);

    Task<(long Count, long? Oldest)> CountForRecipientSinceAsync(DbConnection c, DbTransaction tx, string recipientKey, long since, int limit);

    Task<(long Count, long? Oldest)> CountForDomainSinceAsync(DbConnection c, DbTransaction tx, string domain, long since, int limit);

    Task<(long Count, long? Oldest)> CountForAccountSinceAsync(DbConnection c, DbTransaction tx, string accountId, long since, int limit);

    Task<IReadOnlyList<long>> CountsAtMostSinceAsync(DbConnection c, DbTransaction tx, IReadOnlyList<(string Scope, string Subject, long Since)> windows);

    Task CountNewAuthorizationAsync(DbConnection c, DbTransaction tx, IReadOnlyList<(string Scope, string Subject)> subjects, long createdAt, long keepFrom);

    Task<(string Identifier, string KeyThumbprint)?> FindMailboxAndAccountKeyAsync(DbConnection c, string authorizationId);

    Task<IReadOnlyList<ChallengeRow>> ChallengesOfAuthorizationAsync(DbConnection c, string authorizationId, DbTransaction? tx = null);

    Task<ChallengeRow?> FindChallengeAsync(DbConnection c, string id, DbTransaction? tx = null);

    Task<IReadOnlyList<(string Id, long CreatedAt)>> ListOrdersAsync(DbConnection c, string accountId, long beforeCreatedAt, string beforeId, int limit);

    Task<IReadOnlyList<string>> PendingAuthorizationIdsOfAccountAsync(DbConnection c, DbTransaction tx, string accountId, long now);

    Task InsertOrderAsync(DbConnection c, DbTransaction tx, OrderRow order, IReadOnlyList<string> authorizationIds);

    Task InsertAuthorizationAsync(DbConnection c, DbTransaction tx, AuthorizationRow authorization, ChallengeRow challenge);

    Task<bool> SetTokenPart1Async(DbConnection c, DbTransaction tx, string challengeId, string tokenPart1, long createdAt);

    Task<IReadOnlyList<(OrderRow Order, byte[]? Csr)>> StuckProcessingAsync(DbConnection c, long before, int limit);

    Task<bool> TakeOverProcessingAsync(DbConnection c, DbTransaction tx, string orderId, long? since, long now);

    Task<bool> SetOrderProcessingAsync(DbConnection c, DbTransaction tx, string orderId, byte[] csr, long now);

    Task<bool> SetOrderValidAsync(DbConnection c, DbTransaction tx, string orderId, string certificateId);

    Task<bool> SetOrderReadyAsync(DbConnection c, DbTransaction tx, string orderId);

    Task<bool> SetOrderInvalidAsync(DbConnection c, DbTransaction tx, string orderId, OrderStatus from, string? error);

    Task<bool> SetAuthorizationValidAsync(DbConnection c, DbTransaction tx, string authorizationId, long validatedAt, long expires);

    Task<bool> SetAuthorizationInvalidAsync(DbConnection c, DbTransaction tx, string authorizationId);

    Task<bool> DeactivateAuthorizationAsync(DbConnection c, DbTransaction tx, string authorizationId, AuthorizationStatus from);

    Task<bool> RecordClientResponseAsync(DbConnection c, DbTransaction tx, string challengeId, ChallengeStatus from, ChallengeStatus to, long at);

    Task<bool> SetChallengeValidAsync(DbConnection c, DbTransaction tx, string challengeId, ChallengeStatus from, long at, string method, string? replyId);

    Task<bool> SetChallengeInvalidAsync(DbConnection c, DbTransaction tx, string challengeId, ChallengeStatus from, string error, string method, string? replyId);

    Task<bool> RecordReplyVerifiedAsync(DbConnection c, DbTransaction tx, string challengeId, long at, string method, string? replyId);

    Task<bool> RecordCaaCheckAsync(DbConnection c, DbTransaction tx, string orderId, long checkedAt, long validUntil);
}
