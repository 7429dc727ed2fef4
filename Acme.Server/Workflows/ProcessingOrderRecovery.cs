using Acme.Server.Hosting;
using Acme.Server.Issuance;
using Acme.Server.Protocol.Problems;
using Acme.Server.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acme.Server.Workflows;

/// <summary>
/// Finishes orders that a crash (or a stalled attempt) left in <c>processing</c> past
/// <see cref="IssuanceOptions.RecoverProcessingAfter"/>: each is taken over with a compare-and-set,
/// then issued from its stored CSR after the finalize checks run again, or made invalid with
/// <c>serverInternal</c>; either way audited. Never two certificates for one order (see
/// <see cref="CertificateIssuance"/>). An order whose recovery throws is recorded and the pass goes on.
/// </summary>
public sealed partial class ProcessingOrderRecovery(
    Database db, IOrderStore orders, IAccountStore accounts, IAuditStore audit, CertificateIssuance issuance, CaaService caa,
    IOptions<IssuanceOptions> issuanceOptions, IOptions<AcmeServerOptions> options, TimeProvider time, ILogger<ProcessingOrderRecovery> log)
{
    private const int BatchSize = 20;
    private const string Actor = "system:recovery";
    private const string ClientDetail = "Issuance was interrupted and could not be completed; place a new order.";

    /// <summary>Recovers every stuck order once; returns how many were finished (issued or made invalid).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var before = (now - issuanceOptions.Value.RecoverProcessingAfter).ToUnixTimeMilliseconds();
        var finished = 0;
        foreach (var (order, csr) in await db.ReadAsync(c => orders.StuckProcessingAsync(c, before, BatchSize), ct))
        {
            try
            {
                finished += await RecoverAsync(order, csr, now, ct) ? 1 : 0;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                LogRecoveryFailed(log, e, order.Id);
                finished += await issuance.FailAsync(order, "order.recovery-failed", $"recovery failed: {e.GetType().Name}: {e.Message}", ClientDetail) ? 1 : 0;
            }
        }

        return finished;
    }

    private async Task<bool> RecoverAsync(OrderRow order, byte[]? csr, DateTimeOffset now, CancellationToken ct)
    {
        Org.BouncyCastle.Math.BigInteger? serial = null;
        var mine = await db.TryWriteAsync(async (c, tx) =>
        {
            if (!await orders.TakeOverProcessingAsync(c, tx, order.Id, order.ProcessingSince, now.ToUnixTimeMilliseconds()))
            {
                return false; // another recoverer has it
            }

            await audit.AppendAsync(c, tx, new AuditEvent("order.recovery-started", Actor,
                $"order in processing since {Protocol.AcmeTime.Format(DateTimeOffset.FromUnixTimeMilliseconds(order.ProcessingSince ?? 0))}") { AccountId = order.AccountId, OrderId = order.Id });
            serial = csr is null ? null : await issuance.ReserveSerialAsync(c, tx, order, Actor);
            return true;
        }, ct);
        if (!mine)
        {
            return false;
        }

        var account = await db.ReadAsync(c => accounts.FindAsync(c, order.AccountId), ct);
        if (csr is null || account is null)
        {
            return await issuance.FailAsync(order, "order.recovery-failed", csr is null ? "no CSR was stored with the order" : "the account is gone", ClientDetail);
        }

        var inputs = IssuanceInputs.Check(order, csr, account.KeySpki, options.Value.RewriteDnsIdentifiersWithAt);
        if (!inputs.IsSuccess)
        {
            return await issuance.FailAsync(order, "order.recovery-failed", "the stored CSR no longer passes the finalize checks: " + inputs.Failure!.Detail, ClientDetail);
        }

        try
        {
            // SBR 4.2.2.1: the CAA check must still be fresh when the certificate is signed.
            await caa.EnsureFreshAsync(order, inputs.Value!.Mailboxes, ct);
        }
        catch (AcmeProblemException e)
        {
            return await issuance.FailAsync(order, "order.recovery-failed", "CAA re-check refused: " + e.Problem.Detail, ClientDetail);
        }

        await issuance.CompleteAsync(order, inputs.Value, serial!, Actor);
        LogRecovered(log, order.Id);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} was left in processing; recovered from its stored CSR")]
    private static partial void LogRecovered(ILogger logger, string orderId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recovery of order {OrderId} failed; the order is made invalid")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception exception, string orderId);
}
