using Acme.Server.Issuance;
using Acme.Server.Protocol;
using Acme.Server.Storage;
using Microsoft.Extensions.Logging;

namespace Acme.Server.Workflows;

/// <summary>
/// Revocation by the CA's operator (SBR 4.9.1.1: the CA revokes on its own findings, e.g. key compromise or
/// misuse): each certificate valid → revoked with its reason, audited with the operator and the command, and
/// the CRL regenerated at once so the next fetch lists them (SBR 4.9.7).
/// </summary>
public sealed partial class OperatorRevocation(Database db, ICertificateStore certificates, IAuditStore audit, CrlService crl, TimeProvider time, ILogger<OperatorRevocation> log)
{
    public Task<IReadOnlyList<CertificateRow>> FindAsync(CertificateSearch search, CancellationToken ct) =>
        db.ReadAsync(c => certificates.SearchAsync(c, search), ct);

    /// <param name="reason">The CRLReason code (null: unspecified, recorded without one).</param>
    /// <param name="actor">The operator, as the audit trail names them.</param>
    /// <param name="action">The command that asked, for the audit trail.</param>
    public async Task<OperatorRevocationResult> RevokeAsync(IReadOnlyList<CertificateRow> chosen, int? reason, string actor, string action, CancellationToken ct)
    {
        var revoked = new List<CertificateRow>();
        var skipped = new List<CertificateRow>();
        foreach (var certificate in chosen)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var done = certificate.Status == CertificateStatus.Valid && await db.TryWriteAsync(async (c, tx) =>
            {
                if (!await certificates.RevokeAsync(c, tx, certificate.Id, now, reason))
                {
                    return false;
                }

                await audit.AppendAsync(c, tx, new AuditEvent("certificate.revoked", actor,
                    $"revoked by the operator ({action}), reason {RevocationReasons.NameOf(reason)}")
                    { AccountId = certificate.AccountId, OrderId = certificate.OrderId, CertificateSerial = certificate.Serial });
                return true;
            }, ct);
            (done ? revoked : skipped).Add(certificate);
            if (done)
            {
                LogRevoked(log, certificate.Serial, RevocationReasons.NameOf(reason), actor);
            }
        }

        if (revoked.Count > 0)
        {
            await crl.GetAsync(ct); // a revocation makes the stored CRL stale: this generates the next one now
        }

        return new OperatorRevocationResult(revoked, skipped);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Certificate {Serial} revoked by the operator, reason {Reason}, by {Actor}")]
    private static partial void LogRevoked(ILogger logger, string serial, string reason, string actor);
}
