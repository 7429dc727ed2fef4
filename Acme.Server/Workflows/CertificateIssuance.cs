using System.Data.Common;
using Acme.Server.Hosting;
using Acme.Server.Issuance;
using Acme.Server.Protocol;
using Acme.Server.Protocol.Problems;
using Acme.Server.Storage;
using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace Acme.Server.Workflows;

/// <summary>
/// The issuance step of an order in <c>processing</c> (RFC 8555 §7.4): sign, lint, store the
/// certificate and move the order to valid in one transaction; on failure the order becomes invalid
/// with <c>serverInternal</c>. Used by finalize and by the recovery of orders a crash left processing.
/// </summary>
/// <remarks>
/// One certificate per order: <c>certificates.order_id</c> is unique and the insert shares its
/// transaction with the processing → valid compare-and-set, so a second attempt (a recovery racing a
/// slow finalize) rolls back instead of storing a second certificate.
/// </remarks>
public sealed partial class CertificateIssuance(
    Database db, IOrderStore orders, ICertificateStore certificates, IAuditStore audit, Lazy<ICertificateIssuer> issuer, Observability.AcmeMetrics metrics, TimeProvider time, ILogger<CertificateIssuance> log)
{
    /// <summary>
    /// Picks the serial of the next signing attempt for <paramref name="order"/> and records it in the
    /// audit trail inside the caller's transaction (the one that moves the order to processing or takes
    /// it over), so every serial the CA key ever signs is on record, even if a crash follows the signing.
    /// </summary>
    public async Task<BigInteger> ReserveSerialAsync(DbConnection c, DbTransaction tx, OrderRow order, string actor)
    {
        var serial = CertificateSerials.Next(new SecureRandom());
        var hex = CertificateSerials.ToHex(serial);
        await audit.AppendAsync(c, tx, new AuditEvent("certificate.signing", actor, $"serial {hex} reserved for signing")
            { AccountId = order.AccountId, OrderId = order.Id, CertificateSerial = hex });
        return serial;
    }

    /// <summary>Signs with <paramref name="serial"/> and stores the certificate of a processing order; false when another attempt finished it first.</summary>
    public async Task<bool> CompleteAsync(OrderRow order, IssuanceInputs inputs, BigInteger serial, string actor)
    {
        var (csr, mailboxes, profile) = inputs;
        try
        {
            var notBefore = order.NotBefore is { } nb ? DateTimeOffset.FromUnixTimeMilliseconds(nb) : (DateTimeOffset?)null;
            var notAfter = order.NotAfter is { } na ? DateTimeOffset.FromUnixTimeMilliseconds(na) : (DateTimeOffset?)null;
            var issued = await issuer.Value.IssueAsync(new IssuanceRequest(csr, mailboxes, profile, notBefore, notAfter) { Serial = serial }, CancellationToken.None);
            var issuedAt = time.GetUtcNow();
            var row = new CertificateRow
            {
                Id = ResourceIds.New(issuedAt),
                Serial = issued.SerialHex,
                OrderId = order.Id,
                AccountId = order.AccountId,
                Status = CertificateStatus.Valid,
                Der = issued.Der,
                ChainPem = issued.ChainPem,
                KeySpki = csr.SubjectPublicKeyInfoDer,
                Identifiers = order.Identifiers,
                NotBefore = issued.NotBefore.ToUnixTimeMilliseconds(),
                NotAfter = issued.NotAfter.ToUnixTimeMilliseconds(),
                IssuedAt = issuedAt.ToUnixTimeMilliseconds(),
            };
            var stored = await db.TryWriteAsync(async (c, tx) =>
            {
                if (!await orders.SetOrderValidAsync(c, tx, order.Id, row.Id))
                {
                    return false; // finished (or failed) by another attempt: nothing is stored
                }

                await certificates.InsertAsync(c, tx, row);
                await audit.AppendAsync(c, tx,
                [
                    new AuditEvent("certificate.linted", "system",
                        issued.LintFindings.Count == 0 ? "pre-issuance lint: no findings"
                            : "pre-issuance lint: " + string.Join("; ", issued.LintFindings.Select(f => $"{f.Severity} {f.Code}: {f.Message}")))
                        { AccountId = order.AccountId, OrderId = order.Id, CertificateSerial = issued.SerialHex },
                    new AuditEvent("certificate.issued", actor,
                        $"serial {issued.SerialHex}; mailboxes {order.Identifiers}; profile {profile.Name}; key {csr.KeyKind} {csr.KeySizeBits} bits; usage {csr.Usage}{(csr.UsageMapping is null ? "" : " (" + csr.UsageMapping + ")")}; " +
                        $"valid {AcmeTime.Format(issued.NotBefore)} to {AcmeTime.Format(issued.NotAfter)}") { AccountId = order.AccountId, OrderId = order.Id, CertificateSerial = issued.SerialHex },
                ]);
                return true;
            }, CancellationToken.None);
            if (!stored)
            {
                await db.WriteAsync(async (c, tx) =>
                {
                    await audit.AppendAsync(c, tx, new AuditEvent("certificate.discarded", "system",
                        $"serial {issued.SerialHex} was signed but another attempt finished the order first; it was never stored or delivered")
                        { AccountId = order.AccountId, OrderId = order.Id, CertificateSerial = issued.SerialHex });
                    return true;
                }, CancellationToken.None);
                LogSuperseded(log, order.Id, issued.SerialHex);
                return false;
            }

            LogIssued(log, order.Id, issued.SerialHex, string.Join(",", mailboxes));
            foreach (var finding in issued.LintFindings)
            {
                LogLintFinding(log, issued.SerialHex, finding.Severity.ToString(), finding.Code, finding.Message);
            }

            return true;
        }
        catch (Exception e) when (e is not AcmeProblemException)
        {
            LogIssuanceFailed(log, e, order.Id);
            if (e is PreIssuanceLintException)
            {
                metrics.LintRefused();
            }

            await FailAsync(order, e is PreIssuanceLintException ? "certificate.lint-failed" : "certificate.issuance-failed", e.Message,
                "Issuance failed; the order cannot be finalized. Place a new order.");
            throw;
        }
    }

    /// <summary>The processing order ends invalid with <c>serverInternal</c> and <paramref name="clientDetail"/>; audited with the internal reason.</summary>
    public Task<bool> FailAsync(OrderRow order, string auditEvent, string reason, string clientDetail) =>
        db.TryWriteAsync(async (c, tx) =>
        {
            var error = ResourceMapper.WriteProblem(AcmeProblems.ServerInternal() with { Detail = clientDetail });
            if (!await orders.SetOrderInvalidAsync(c, tx, order.Id, OrderStatus.Processing, error))
            {
                return false;
            }

            await audit.AppendAsync(c, tx, new AuditEvent(auditEvent, "system", reason) { AccountId = order.AccountId, OrderId = order.Id });
            return true;
        }, CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} issued certificate serial {Serial} for {Mailboxes}")]
    private static partial void LogIssued(ILogger logger, string orderId, string serial, string mailboxes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} was finished by another attempt; certificate {Serial} was signed but not stored or delivered")]
    private static partial void LogSuperseded(ILogger logger, string orderId, string serial);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Certificate {Serial} pre-issuance lint {Severity} {Code}: {Message}")]
    private static partial void LogLintFinding(ILogger logger, string serial, string severity, string code, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Issuance for order {OrderId} failed")]
    private static partial void LogIssuanceFailed(ILogger logger, Exception exception, string orderId);
}
