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
    /// the identifier as the order sent it (<paramref name="sent"/>). Returns until when the result may be relied on.
    /// </summary>
    public async Task<(long CheckedAt, long ValidUntil)?> CheckAsync(
        string accountId, IReadOnlyList<NormalizedMailbox> mailboxes, string? orderId, IReadOnlyList<Protocol.Identifier> sent, CancellationToken ct)
    {
        if (!Enabled)
        {
            return null;
        }

        var outcome = await checker.CheckAsync(mailboxes, urls.Account(accountId), ct);
        var now = time.GetUtcNow();
        var detail = outcome.IsSuccess
            ? string.Join("; ", outcome.Value.Select(d => $"{d.Key}: {(d.Value.Permitted ? "permitted" : "refused")}, {d.Value.Reason}" +
                                                           $"{(d.Value.Authenticated ? ", DNSSEC-secure" : string.Empty)}"))
            : outcome.Failure.Detail;
        await db.WriteAsync(async (c, tx) =>
        {
            await audit.AppendAsync(c, tx, new AuditEvent(outcome.IsSuccess ? "caa.permitted" : "caa.refused", "system", detail) { AccountId = accountId, OrderId = orderId });
            return true;
        }, ct);

        if (!outcome.IsSuccess)
        {
            metrics.CaaRefused();
            throw new AcmeProblemException(IdentifierEcho.Relabel(AcmeProblems.FromFailure(outcome.Failure), IdentifierEcho.TypeByMailbox(sent)));
        }

        var reuse = outcome.Value.Values.Select(d => d.Ttl is { } ttl && ttl > MinimumReuse ? ttl : MinimumReuse).DefaultIfEmpty(MinimumReuse).Min();
        return (now.ToUnixTimeMilliseconds(), now.Add(reuse).ToUnixTimeMilliseconds());
    }

    /// <summary>At finalize: re-checks when the order's check is older than its reuse window.</summary>
    public async Task EnsureFreshAsync(OrderRow order, IReadOnlyList<NormalizedMailbox> mailboxes, CancellationToken ct)
    {
        if (!Enabled || (order.CaaValidUntil is { } until && time.GetUtcNow().ToUnixTimeMilliseconds() < until))
        {
            return;
        }

        var fresh = await CheckAsync(order.AccountId, mailboxes, order.Id, IdentifierEcho.Identifiers(order), ct);
        if (fresh is { } f)
        {
            await db.WriteAsync((c, tx) => orders.RecordCaaCheckAsync(c, tx, order.Id, f.CheckedAt, f.ValidUntil), ct);
        }
    }
}
