using Acme.Server.Hosting;
using Acme.Server.Jws;
using Acme.Server.Protocol;
using Acme.Server.Protocol.Problems;
using Acme.Server.Storage;
using Acme.Validation.Codecs;
using Acme.Validation.Outcomes;
using Microsoft.Extensions.Options;

namespace Acme.Server.Workflows;

/// <summary>
/// Finalize (RFC 8555 §7.4): CSR checks while the order stays <c>ready</c>, then one
/// compare-and-set ready → processing so concurrent calls issue exactly one certificate.
/// </summary>
public sealed class FinalizeService(
    Database db, IOrderStore orders, IAuditStore audit, OrderService orderService, CaaService caa, CertificateIssuance issuance,
    IOptions<AcmeServerOptions> options, TimeProvider time)
{
    /// <summary>finalize for an authenticated account (RFC 8555 §7.4, RFC 8823 §3 step 8).</summary>
    public async Task<string> FinalizeAsync(AccountRow account, string orderId, FinalizeRequest request, CancellationToken ct)
    {
        var (order, authorizations) = await orderService.GetOrderAsync(account, orderId, ct);
        var now = time.GetUtcNow();
        var status = ResourceMapper.DerivedStatus(order, authorizations, now);
        if (status != OrderStatus.Ready)
        {
            // RFC 8555 §7.4: finalize before the order is ready is orderNotReady.
            throw new AcmeProblemException(AcmeProblems.OrderNotReady($"The order is {StatusText.Of(status)}, not ready"));
        }

        var der = request.Csr ?? throw new AcmeProblemException(request.Problem ?? AcmeProblems.Malformed("finalize needs 'csr'"));

        // RFC 8555 §7.4, RFC 8823 §3 step 8: a bad CSR is badCSR and the order stays ready.
        var checkedInputs = IssuanceInputs.Check(order, der, account.KeySpki, options.Value.RewriteDnsIdentifiersWithAt);
        if (!checkedInputs.IsSuccess)
        {
            if (checkedInputs.Failure!.Kind == FailureKind.BadCsr)
            {
                await RefuseAsync(order, checkedInputs.Failure.Detail, ct);
            }

            throw new AcmeProblemException(AcmeProblems.FromFailure(checkedInputs.Failure));
        }

        var inputs = checkedInputs.Value!;
        // SBR 4.2.2.1: issue within max(TTL, 8 h) of the CAA check, else check again.
        await caa.EnsureFreshAsync(order, inputs.Mailboxes, ct);

        // RFC 8555 §7.4: one compare-and-set ready → processing, so concurrent calls issue exactly one
        // certificate; the CSR and the serial to sign are stored with it for crash recovery.
        Org.BouncyCastle.Math.BigInteger? serial = null;
        var won = await db.TryWriteAsync(async (c, tx) =>
        {
            if (!await orders.SetOrderProcessingAsync(c, tx, orderId, der, now.ToUnixTimeMilliseconds()))
            {
                return false;
            }

            serial = await issuance.ReserveSerialAsync(c, tx, order, "account:" + order.AccountId);
            return true;
        }, ct);
        if (!won)
        {
            throw new AcmeProblemException(AcmeProblems.OrderNotReady("The order is already being finalized"));
        }

        await issuance.CompleteAsync(order, inputs, serial!, "account:" + order.AccountId);
        return orderId;
    }

    /// <summary>SBR 5.4.1: rejections are logged too; the order stays ready (RFC 8555 §7.4).</summary>
    private async Task RefuseAsync(OrderRow order, string detail, CancellationToken ct)
    {
        await db.WriteAsync(async (c, tx) =>
        {
            await audit.AppendAsync(c, tx, new AuditEvent("order.finalize-refused", "account:" + order.AccountId, "badCSR: " + detail) { AccountId = order.AccountId, OrderId = order.Id });
            return true;
        }, ct);
        throw new AcmeProblemException(AcmeProblems.BadCsr(detail));
    }
}
