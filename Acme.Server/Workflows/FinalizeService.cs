using System.Text.Json;
using Acme.Server.Hosting;
using Acme.Server.Issuance;
using Acme.Server.Jws;
using Acme.Server.Protocol;
using Acme.Server.Protocol.Problems;
using Acme.Server.Storage;
using Acme.Validation.Codecs;
using Acme.Validation.Csr;
using Acme.Validation.Identifiers;
using Acme.Validation.Profiles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acme.Server.Workflows;

/// <summary>
/// Finalize (RFC 8555 §7.4): CSR checks while the order stays <c>ready</c>, then one
/// compare-and-set ready → processing so concurrent calls issue exactly one certificate.
/// </summary>
public sealed partial class FinalizeService(
    Database db, CertificateStore certificates, AuditStore audit, OrderService orderService, CaaService caa,
    Lazy<ICertificateIssuer> issuer, IOptions<AcmeServerOptions> options, TimeProvider time, ILogger<FinalizeService> log)
{
    public async Task<string> FinalizeAsync(AcmeRequest request, string orderId, CancellationToken ct)
    {
        var account = request.RequiredAccount;
        var (order, authorizations) = await orderService.GetOrderAsync(request, orderId, ct);
        var now = time.GetUtcNow();
        var status = ResourceMapper.DerivedStatus(order, authorizations, now);
        if (status != OrderStatus.Ready)
        {
            // RFC 8555 §7.4: finalize before the order is ready is orderNotReady.
            throw new AcmeProblemException(AcmeProblems.OrderNotReady($"The order is {StatusText.Of(status)}, not ready"));
        }

        var payload = PayloadReader.RequireObject(request.Payload, "finalize");
        if (!StrictBase64Url.TryDecode(PayloadReader.OptionalString(payload, "csr"), out var der))
        {
            throw new AcmeProblemException(AcmeProblems.Malformed("finalize needs 'csr': the DER CSR in unpadded base64url"));
        }

        var mailboxes = ResourceMapper.Mailboxes(order).Select(m => MailboxNormalizer.Normalize(m).Value!).ToList();
        var validator = new CsrValidator(new CsrPolicy { TolerateDnsNamesEqualToMailboxes = options.Value.RewriteDnsIdentifiersWithAt });

        // RFC 8555 §7.4, RFC 8823 §3 step 8: a bad CSR is badCSR and the order stays ready.
        var csr = validator.Validate(der, mailboxes, account.KeySpki);
        if (!csr.IsSuccess)
        {
            await RefuseAsync(order, csr.Failure.Detail, ct);
        }

        if (!CertificateProfiles.TryGet(order.Profile, out var profile))
        {
            throw new AcmeProblemException(AcmeProblems.InvalidProfile($"The order's profile '{order.Profile}' is no longer offered"));
        }

        var usage = KeyUsagePolicy.Decide(csr.Value!.KeyKind, csr.Value.Usage, profile);
        if (!usage.IsSuccess)
        {
            await RefuseAsync(order, usage.Failure.Detail, ct);
        }

        // SBR 4.2.2.1: issue within max(TTL, 8 h) of the CAA check, else check again.
        await caa.EnsureFreshAsync(order, mailboxes, ct);

        var won = await db.TryWriteAsync((c, tx) => StatusWriter.OrderAsync(c, tx, orderId, OrderStatus.Ready, OrderStatus.Processing), ct);
        if (!won)
        {
            throw new AcmeProblemException(AcmeProblems.OrderNotReady("The order is already being finalized"));
        }

        await IssueAsync(order, csr.Value, mailboxes, profile, ct);
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

    private async Task IssueAsync(OrderRow order, ValidatedCsr csr, IReadOnlyList<NormalizedMailbox> mailboxes, CertificateProfile profile, CancellationToken ct)
    {
        try
        {
            var notBefore = order.NotBefore is { } nb ? DateTimeOffset.FromUnixTimeMilliseconds(nb) : (DateTimeOffset?)null;
            var notAfter = order.NotAfter is { } na ? DateTimeOffset.FromUnixTimeMilliseconds(na) : (DateTimeOffset?)null;
            var issued = await issuer.Value.IssueAsync(new IssuanceRequest(csr, mailboxes, profile, notBefore, notAfter), CancellationToken.None);
            var row = new CertificateRow
            {
                Id = ResourceIds.New(),
                Serial = issued.SerialHex,
                OrderId = order.Id,
                AccountId = order.AccountId,
                Status = StatusText.Of(CertificateStatus.Valid),
                Der = issued.Der,
                ChainPem = issued.ChainPem,
                KeySpki = csr.SubjectPublicKeyInfoDer,
                Identifiers = order.Identifiers,
                NotBefore = issued.NotBefore.ToUnixTimeMilliseconds(),
                NotAfter = issued.NotAfter.ToUnixTimeMilliseconds(),
                IssuedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
            };
            await db.WriteAsync(async (c, tx) =>
            {
                await certificates.InsertAsync(c, tx, row);
                await audit.AppendAsync(c, tx, new AuditEvent("certificate.linted", "system",
                    issued.LintFindings.Count == 0 ? "pre-issuance lint: no findings"
                        : "pre-issuance lint: " + string.Join("; ", issued.LintFindings.Select(f => $"{f.Severity} {f.Code}: {f.Message}")))
                    { AccountId = order.AccountId, OrderId = order.Id, CertificateSerial = issued.SerialHex });
                await audit.AppendAsync(c, tx, new AuditEvent("certificate.issued", "account:" + order.AccountId,
                    $"serial {issued.SerialHex}; mailboxes {order.Identifiers}; profile {profile.Name}; key {csr.KeyKind} {csr.KeySizeBits} bits; usage {csr.Usage}; " +
                    $"valid {AcmeTime.Format(issued.NotBefore)} to {AcmeTime.Format(issued.NotAfter)}") { AccountId = order.AccountId, OrderId = order.Id, CertificateSerial = issued.SerialHex });
                return await StatusWriter.OrderAsync(c, tx, order.Id, OrderStatus.Processing, OrderStatus.Valid, "certificate_id = @certificateId", new { certificateId = row.Id })
                    ? true
                    : throw new InvalidOperationException($"order {order.Id} left processing during issuance");
            }, CancellationToken.None);
            LogIssued(log, order.Id, issued.SerialHex, string.Join(",", mailboxes));
            foreach (var finding in issued.LintFindings)
            {
                LogLintFinding(log, issued.SerialHex, finding.Severity.ToString(), finding.Code, finding.Message);
            }
        }
        catch (Exception e) when (e is not AcmeProblemException)
        {
            LogIssuanceFailed(log, e, order.Id);
            var error = ResourceMapper.WriteProblem(AcmeProblems.ServerInternal() with { Detail = "Issuance failed; the order cannot be finalized. Place a new order." });
            await db.WriteAsync(async (c, tx) =>
            {
                await StatusWriter.OrderAsync(c, tx, order.Id, OrderStatus.Processing, OrderStatus.Invalid, "error = @error", new { error });
                await audit.AppendAsync(c, tx, new AuditEvent(e is PreIssuanceLintException ? "certificate.lint-failed" : "certificate.issuance-failed", "system", e.Message)
                    { AccountId = order.AccountId, OrderId = order.Id });
                return true;
            }, CancellationToken.None);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} issued certificate serial {Serial} for {Mailboxes}")]
    private static partial void LogIssued(ILogger logger, string orderId, string serial, string mailboxes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Certificate {Serial} pre-issuance lint {Severity} {Code}: {Message}")]
    private static partial void LogLintFinding(ILogger logger, string serial, string severity, string code, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Issuance for order {OrderId} failed")]
    private static partial void LogIssuanceFailed(ILogger logger, Exception exception, string orderId);
}
