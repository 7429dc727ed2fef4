using Acme.Server.Jws;
using Acme.Server.Protocol;
using Acme.Server.Protocol.Problems;
using Acme.Server.Storage;
using Acme.Validation.Codecs;
using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Acme.Server.Workflows;

/// <summary>revokeCert in its three modes (RFC 8555 §7.6) with SBR-conformant reason codes.</summary>
public sealed partial class RevocationService(Database db, CertificateStore certificates, OrderStore orders, AuditStore audit, TimeProvider time, ILogger<RevocationService> log)
{
    // RFC 5280 §5.3.1 codes a subscriber may give: unspecified (recorded without a reason, SBR 7.2.2),
    // keyCompromise, affiliationChanged, superseded, cessationOfOperation. certificateHold is
    // forbidden for Strict (SBR 7.2.2); the others are CA-side reasons.
    private static readonly HashSet<int> AllowedReasons = [0, 1, 3, 4, 5];

    public async Task RevokeAsync(AcmeRequest request, CancellationToken ct)
    {
        var payload = PayloadReader.RequireObject(request.Payload, "revokeCert");
        if (!StrictBase64Url.TryDecode(PayloadReader.OptionalString(payload, "certificate"), out var der))
        {
            throw new AcmeProblemException(AcmeProblems.Malformed("revokeCert needs 'certificate': the DER certificate in unpadded base64url"));
        }

        int? reason = null;
        if (PayloadReader.TryGet(payload, "reason", out var reasonJson))
        {
            if (reasonJson.ValueKind != System.Text.Json.JsonValueKind.Number || !reasonJson.TryGetInt32(out var code) || !AllowedReasons.Contains(code))
            {
                throw new AcmeProblemException(AcmeProblems.BadRevocationReason(
                    $"Reason {reasonJson.GetRawText()} is not accepted; use 0 (unspecified), 1 (keyCompromise), 3 (affiliationChanged), 4 (superseded) or 5 (cessationOfOperation)"));
            }

            reason = code == 0 ? null : code;
        }

        var certificate = await FindAsync(der, ct);
        await AuthorizeAsync(request, certificate, ct);

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var actor = request.Account is { } a ? "account:" + a.Id : "certificate key";
        var revoked = await db.TryWriteAsync(async (c, tx) =>
        {
            if (!await certificates.RevokeAsync(c, tx, certificate.Id, now, reason))
            {
                return false;
            }

            await audit.AppendAsync(c, tx, new AuditEvent("certificate.revoked", actor, $"reason {reason?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}")
            { AccountId = certificate.AccountId, OrderId = certificate.OrderId, CertificateSerial = certificate.Serial });
            return true;
        }, ct);
        if (!revoked)
        {
            throw new AcmeProblemException(AcmeProblems.AlreadyRevoked($"Certificate {certificate.Serial} is already revoked"));
        }

        LogRevoked(log, certificate.Serial, reason ?? 0, request.Account?.Id ?? "certificate key");
    }

    private async Task<CertificateRow> FindAsync(byte[] der, CancellationToken ct)
    {
        X509Certificate parsed;
        try
        {
            parsed = new X509Certificate(der);
        }
        catch (Exception e) when (e is ArgumentException or Org.BouncyCastle.Security.Certificates.CertificateException or InvalidOperationException or IOException or Org.BouncyCastle.Asn1.Asn1Exception)
        {
            throw new AcmeProblemException(AcmeProblems.Malformed("The 'certificate' is not a DER X.509 certificate"));
        }

        var serial = parsed.SerialNumber.ToString(16).ToLowerInvariant();
        var row = await db.ReadAsync(c => certificates.FindBySerialAsync(c, serial), ct);
        return row is not null && row.Der.AsSpan().SequenceEqual(der)
            ? row
            : throw new AcmeProblemException(AcmeProblems.NotFound("This server did not issue that certificate"));
    }

    private async Task AuthorizeAsync(AcmeRequest request, CertificateRow certificate, CancellationToken ct)
    {
        if (request.Account is null)
        {
            // RFC 8555 §7.6 mode 2: signed with the certificate's own key.
            if (JsonWebKey.FromSubjectPublicKeyInfo(certificate.KeySpki).Thumbprint != request.Key.Thumbprint)
            {
                throw new AcmeProblemException(AcmeProblems.Unauthorized("The jwk is not the certificate's public key"));
            }

            return;
        }

        if (request.Account.Id == certificate.AccountId)
        {
            return; // mode 1: the issuing account
        }

        // Mode 1b: an account holding valid authorizations for every mailbox in the certificate.
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var mailbox in System.Text.Json.JsonSerializer.Deserialize(certificate.Identifiers, AcmeJsonContext.Default.ListString) ?? [])
        {
            var held = await db.ReadAsync(c => orders.FindReusableAuthorizationAsync(c, null, request.Account.Id, mailbox, identifierType: null, now), ct);
            if (held is null)
            {
                throw new AcmeProblemException(AcmeProblems.Unauthorized($"The account neither issued this certificate nor holds a valid authorization for {mailbox}"));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Certificate {Serial} revoked, reason {Reason}, by {Actor}")]
    private static partial void LogRevoked(ILogger logger, string serial, int reason, string actor);
}
