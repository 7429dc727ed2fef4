using Acme.Server.Protocol;
using Acme.Server.Storage;

namespace Acme.Server.Workflows;

/// <summary>
/// The operator's actions on an account: suspend (its requests are refused until resumed), resume, and
/// deactivate (RFC 8555 §7.3.6), each audited with the operator as actor.
/// </summary>
public sealed class AccountAdministration(Database db, IAccountStore accounts, IOrderStore orders, StatusPropagator propagator, IAuditStore audit, TimeProvider time)
{
    public Task<AccountRow?> FindAsync(string id, CancellationToken ct) => db.ReadAsync(c => accounts.FindAsync(c, id), ct);

    public Task<IReadOnlyList<AccountRow>> ListAsync(int limit, CancellationToken ct) => db.ReadAsync(c => accounts.ListAsync(c, limit), ct);

    public Task<AccountActionResult> SuspendAsync(string id, string reason, string actor, CancellationToken ct) =>
        ChangeAsync(id, async (c, tx) =>
            await accounts.SuspendAsync(c, tx, id, time.GetUtcNow().ToUnixTimeMilliseconds(), reason) &&
            await AuditAsync(c, tx, "account.suspended", actor, id, $"suspended by the operator: {reason}"), ct);

    public Task<AccountActionResult> ResumeAsync(string id, string actor, CancellationToken ct) =>
        ChangeAsync(id, async (c, tx) =>
            await accounts.ResumeAsync(c, tx, id) && await AuditAsync(c, tx, "account.resumed", actor, id, "suspension lifted by the operator"), ct);

    /// <summary>
    /// valid → deactivated, and every pending authorization of the account deactivated the way a client's
    /// own authorization deactivation does it (its orders become invalid): RFC 8555 §7.3.6, the server SHOULD
    /// cancel pending operations of a deactivated account.
    /// </summary>
    public Task<AccountActionResult> DeactivateAsync(string id, string actor, CancellationToken ct) =>
        ChangeAsync(id, async (c, tx) =>
        {
            if (!await accounts.DeactivateAsync(c, tx, id))
            {
                return false;
            }

            var cancelled = await CancelPendingWorkAsync(c, tx, id, actor, "the operator");
            return await AuditAsync(c, tx, "account.deactivated", actor, id, $"deactivated by the operator (RFC 8555 §7.3.6); {cancelled} pending authorizations deactivated");
        }, ct);

    /// <summary>
    /// RFC 8555 §7.3.6: a deactivated account's pending operations are cancelled: each pending authorization
    /// is deactivated and its orders become invalid. Runs in the transaction that deactivated the account.
    /// </summary>
    public async Task<int> CancelPendingWorkAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, string id, string actor, string by)
    {
        var pending = await orders.PendingAuthorizationIdsOfAccountAsync(c, tx, id, time.GetUtcNow().ToUnixTimeMilliseconds());
        var cancelled = 0;
        foreach (var authorization in pending)
        {
            if (await orders.DeactivateAuthorizationAsync(c, tx, authorization, AuthorizationStatus.Pending))
            {
                cancelled++;
                await propagator.InvalidateOrdersAsync(c, tx, authorization);
                await audit.AppendAsync(c, tx, new AuditEvent("authorization.deactivated", actor, $"deactivated with its account by {by} (was pending)")
                { AccountId = id, AuthorizationId = authorization });
            }
        }

        return cancelled;
    }

    private async Task<AccountActionResult> ChangeAsync(string id, Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Task<bool>> change, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is null)
        {
            return AccountActionResult.UnknownAccount;
        }

        return await db.TryWriteAsync(change, ct) ? AccountActionResult.Done : AccountActionResult.NoChange;
    }

    private async Task<bool> AuditAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, string name, string actor, string id, string detail)
    {
        await audit.AppendAsync(c, tx, new AuditEvent(name, actor, detail) { AccountId = id });
        return true;
    }
}
