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
public sealed partial class RevocationService(Database db, ICertificateStore certificates, IOrderStore orders, IAuditStore audit, TimeProvider time, ILogger<RevocationService> log)
{
    /// <summary>
    /// revokeCert (RFC 8555 §7.6) asked by <paramref name="account"/>, or, when it is null, by the holder of the
    /// key whose JWK thumbprint is <paramref name="signerThumbprint"/> (mode 2: the certificate's own key).
    /// </summary>
    public async Task RevokeAsync(RevokeRequest request, AccountRow? account, string signerThumbprint, CancellationToken ct)
    {
        var reason = request.Reason;
        var certificate = await FindAsync(request.Certificate, ct);
        await AuthorizeAsync(account, signerThumbprint, certificate, ct);

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var actor = account is { } a ? "account:" + a.Id : "certificate key";
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

        LogRevoked(log, certificate.Serial, reason ?? 0, account?.Id ?? "certificate key");
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

    private async Task AuthorizeAsync(AccountRow? account, string signerThumbprint, CertificateRow certificate, CancellationToken ct)
    {
        if (account is null)
        {
            // RFC 8555 §7.6 mode 2: signed with the certificate's own key.
            if (JsonWebKey.FromSubjectPublicKeyInfo(certificate.KeySpki).Thumbprint != signerThumbprint)
            {
                throw new AcmeProblemException(AcmeProblems.Unauthorized("The jwk is not the certificate's public key"));
            }

            return;
        }

        if (account.Id == certificate.AccountId)
        {
            return; // mode 1: the issuing account
        }

        // Mode 1b: an account holding valid authorizations for every mailbox in the certificate.
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var mailbox in System.Text.Json.JsonSerializer.Deserialize(certificate.Identifiers, AcmeJsonContext.Default.ListString) ?? [])
        {
            var held = await db.ReadAsync(c => orders.FindReusableAuthorizationAsync(c, null, account.Id, mailbox, identifierType: null, now), ct);
            if (held is null)
            {
                throw new AcmeProblemException(AcmeProblems.Unauthorized($"The account neither issued this certificate nor holds a valid authorization for {mailbox}"));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Certificate {Serial} revoked, reason {Reason}, by {Actor}")]
    private static partial void LogRevoked(ILogger logger, string serial, int reason, string actor);
}
