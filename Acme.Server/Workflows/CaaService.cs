using Acme.Server.Hosting;
using Acme.Server.Protocol.Problems;
using Acme.Server.Storage;
using Acme.Validation.Caa;
using Acme.Validation.Identifiers;
using Microsoft.Extensions.Options;

namespace Acme.Server.Workflows;

/// <summary>
/// CAA <c>issuemail</c> at newOrder and, when that check has aged past max(TTL, 8 hours), again at
/// finalize (SBR 4.2.2.1; RFC 9495). Every check is written to the audit trail with the records seen.
/// </summary>
public sealed class CaaService(CaaChecker checker, IOptions<CaaOptions> options, AcmeUrls urls, Database db, IOrderStore orders, IAuditStore audit, Observability.AcmeMetrics metrics, TimeProvider time)
{
    private static readonly TimeSpan MinimumReuse = TimeSpan.FromHours(8);

    public bool Enabled => options.Value.Enabled;

    /// <summary>
    /// Checks every mailbox's domain; refuses with <c>caa</c> (or <c>dns</c>) and a subproblem per mailbox, each naming
    /// the identifier as the order sent it (<paramref name="sent"/>); a refusal is audited here. A permitted check
    /// returns until when it may be relied on and its audit event, which the caller stores in the same
    /// transaction as what relies on it (one commit instead of two).
    /// </summary>
    public async Task<CaaCheck?> CheckAsync(
        string accountId, IReadOnlyList<NormalizedMailbox> mailboxes, string? orderId, IReadOnlyList<Protocol.Identifier> sent, CancellationToken ct)
    {
        if (!Enabled)
        {
            return null;
        }

        var outcome = await checker.CheckAsync(mailboxes, urls.Account(accountId), ct);
        var now = time.GetUtcNow();
        if (!outcome.IsSuccess)
        {
            await db.WriteAsync(async (c, tx) =>
            {
                await audit.AppendAsync(c, tx, new AuditEvent("caa.refused", "system", outcome.Failure.Detail) { AccountId = accountId, OrderId = orderId });
                return true;
            }, ct);
            metrics.CaaRefused();
            throw new AcmeProblemException(IdentifierEcho.Relabel(AcmeProblems.FromFailure(outcome.Failure), IdentifierEcho.TypeByMailbox(sent)));
        }

        var detail = string.Join("; ", outcome.Value.Select(d => $"{d.Key}: {(d.Value.Permitted ? "permitted" : "refused")}, {d.Value.Reason}" +
                                                                 $"{(d.Value.Authenticated ? ", DNSSEC-secure" : string.Empty)}"));
        // SBR 4.2.2.1: each decision may be relied on until max(TTL, 8 h) after its check, which for a reused DNS answer
        // is when that answer was retrieved, not now.
        var checkedAt = outcome.Value.Values.Select(d => d.CheckedAt).DefaultIfEmpty(now).Min();
        var validUntil = outcome.Value.Values.Select(d => d.CheckedAt.Add(d.Ttl is { } ttl && ttl > MinimumReuse ? ttl : MinimumReuse))
            .DefaultIfEmpty(now.Add(MinimumReuse)).Min();
        return new CaaCheck(checkedAt.ToUnixTimeMilliseconds(), validUntil.ToUnixTimeMilliseconds(),
            new AuditEvent("caa.permitted", "system", detail) { AccountId = accountId, OrderId = orderId });
    }

    /// <summary>At finalize: re-checks when the order's check is older than its reuse window.</summary>
    public async Task EnsureFreshAsync(OrderRow order, IReadOnlyList<NormalizedMailbox> mailboxes, CancellationToken ct)
    {
        if (!Enabled || (order.CaaValidUntil is { } until && time.GetUtcNow().ToUnixTimeMilliseconds() < until))
        {
            return;
        }

        if (await CheckAsync(order.AccountId, mailboxes, order.Id, IdentifierEcho.Identifiers(order), ct) is { } fresh)
        {
            await db.WriteAsync(async (c, tx) =>
            {
                await audit.AppendAsync(c, tx, fresh.Evidence);
                await orders.RecordCaaCheckAsync(c, tx, order.Id, fresh.CheckedAt, fresh.ValidUntil);
                return true;
            }, ct);
        }
    }
}

/// <summary>A permitted CAA check: when it was made, until when it may be relied on, and its audit event (not stored yet).</summary>
public sealed record CaaCheck(long CheckedAt, long ValidUntil, AuditEvent Evidence);
