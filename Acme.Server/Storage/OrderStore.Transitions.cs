using System.Data.Common;
using Acme.Server.Protocol;
using Dapper;
using static Acme.Server.Storage.StatusWriter;

namespace Acme.Server.Storage;

/// <summary>
/// The status changes of orders, authorizations and challenges, one named method per change (Boulder's
/// storage authority: SetOrderProcessing, FinalizeOrder, FinalizeAuthorization…). Each is a
/// compare-and-set on one edge of <see cref="Lifecycle.Transitions"/>; false means another writer won.
/// </summary>
public sealed partial class OrderStore
{
    /// <summary>
    /// Finalize's compare-and-set ready → processing (Boulder's SetOrderProcessing), keeping the CSR and
    /// the time, so a crash during issuance leaves enough to finish the order.
    /// </summary>
    public Task<bool> SetOrderProcessingAsync(DbConnection c, DbTransaction tx, string orderId, byte[] csr, long now) =>
        OrderAsync(changes, c, tx, orderId, OrderStatus.Ready, OrderStatus.Processing, new Column("csr", csr), new Column("processing_since", now));

    /// <summary>processing → valid with the certificate that was issued for the order.</summary>
    public Task<bool> SetOrderValidAsync(DbConnection c, DbTransaction tx, string orderId, string certificateId) =>
        OrderAsync(changes, c, tx, orderId, OrderStatus.Processing, OrderStatus.Valid, new Column("certificate_id", certificateId));

    /// <summary>pending → ready: every authorization of the order is valid.</summary>
    public Task<bool> SetOrderReadyAsync(DbConnection c, DbTransaction tx, string orderId) =>
        OrderAsync(changes, c, tx, orderId, OrderStatus.Pending, OrderStatus.Ready);

    /// <summary>An unfinished order becomes invalid, with the problem document the client is shown (null: none).</summary>
    public Task<bool> SetOrderInvalidAsync(DbConnection c, DbTransaction tx, string orderId, OrderStatus from, string? error) =>
        error is null
            ? OrderAsync(changes, c, tx, orderId, from, OrderStatus.Invalid)
            : OrderAsync(changes, c, tx, orderId, from, OrderStatus.Invalid, new Column("error", error));

    /// <summary>pending → valid (Boulder's FinalizeAuthorization), with the validation time and the reuse lifetime.</summary>
    public Task<bool> SetAuthorizationValidAsync(DbConnection c, DbTransaction tx, string authorizationId, long validatedAt, long expires) =>
        AuthorizationAsync(changes, c, tx, authorizationId, AuthorizationStatus.Pending, AuthorizationStatus.Valid,
            new Column("validated_at", validatedAt), new Column("expires", expires));

    /// <summary>pending → invalid: its challenge failed.</summary>
    public Task<bool> SetAuthorizationInvalidAsync(DbConnection c, DbTransaction tx, string authorizationId) =>
        AuthorizationAsync(changes, c, tx, authorizationId, AuthorizationStatus.Pending, AuthorizationStatus.Invalid);

    /// <summary>The client deactivates its authorization (RFC 8555 §7.5.2).</summary>
    public Task<bool> DeactivateAuthorizationAsync(DbConnection c, DbTransaction tx, string authorizationId, AuthorizationStatus from) =>
        AuthorizationAsync(changes, c, tx, authorizationId, from, AuthorizationStatus.Deactivated);

    /// <summary>
    /// The client's POST to the challenge: valid when the verified reply is already recorded, otherwise
    /// processing until the reply comes (RFC 8823 §3 step 7).
    /// </summary>
    public Task<bool> RecordClientResponseAsync(DbConnection c, DbTransaction tx, string challengeId, ChallengeStatus from, ChallengeStatus to, long at) =>
        to == ChallengeStatus.Valid
            ? ChallengeAsync(changes, c, tx, challengeId, from, to, new Column("client_responded_at", at), new Column("validated_at", at))
            : ChallengeAsync(changes, c, tx, challengeId, from, to, new Column("client_responded_at", at));

    /// <summary>A verified reply makes the challenge valid; the evidence it rests on is named.</summary>
    public Task<bool> SetChallengeValidAsync(DbConnection c, DbTransaction tx, string challengeId, ChallengeStatus from, long at, string method, string? replyId) =>
        ChallengeAsync(changes, c, tx, challengeId, from, ChallengeStatus.Valid, new Column("reply_verified_at", at), new Column("validated_at", at),
            new Column("validation_method", method), new Column("validation_reply_id", replyId));

    /// <summary>A failed validation makes the challenge invalid with its problem document.</summary>
    public Task<bool> SetChallengeInvalidAsync(DbConnection c, DbTransaction tx, string challengeId, ChallengeStatus from, string error, string method, string? replyId) =>
        ChallengeAsync(changes, c, tx, challengeId, from, ChallengeStatus.Invalid, new Column("error", error),
            new Column("validation_method", method), new Column("validation_reply_id", replyId));

    /// <summary>Records a verified reply on a challenge still waiting for the client's POST (its status stays pending).</summary>
    public async Task<bool> RecordReplyVerifiedAsync(DbConnection c, DbTransaction tx, string challengeId, long at, string method, string? replyId) =>
        await c.ExecuteAsync(
            "UPDATE challenges SET reply_verified_at = @at, validation_method = @method, validation_reply_id = @replyId " +
            "WHERE id = @challengeId AND reply_verified_at IS NULL AND status = 'pending'",
            new { challengeId, at, method, replyId }, tx) == 1;

    /// <summary>Records when CAA was last checked for the order and until when that check may be relied on.</summary>
    public async Task<bool> RecordCaaCheckAsync(DbConnection c, DbTransaction tx, string orderId, long checkedAt, long validUntil) =>
        await c.ExecuteAsync("UPDATE orders SET caa_checked_at = @checkedAt, caa_valid_until = @validUntil WHERE id = @orderId",
            new { orderId, checkedAt, validUntil }, tx) == 1;
}
