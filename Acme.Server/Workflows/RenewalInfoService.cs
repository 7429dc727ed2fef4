using System.Data.Common;
using Acme.Server.Issuance;
using Acme.Server.Protocol;
using Acme.Server.Protocol.Problems;
using Acme.Server.Storage;
using Acme.Validation.Codecs;
using Org.BouncyCastle.Math;

namespace Acme.Server.Workflows;

/// <summary>
/// ACME Renewal Information (RFC 9773): the suggested renewal window of a certificate, and the
/// <c>replaces</c> check of newOrder. A certificate is named by
/// <c>base64url(AKI keyIdentifier) "." base64url(serial bytes)</c>.
/// </summary>
public sealed class RenewalInfoService(Database db, ICertificateStore certificates, IOrderStore orders, CaMaterial ca, TimeProvider time)
{
    /// <summary>How often clients should ask again (RFC 9773 §4.3: Retry-After).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromHours(6);

    public static string IdentifierOf(byte[] authorityKeyId, string serialHex) =>
        StrictBase64Url.Encode(authorityKeyId) + "." + StrictBase64Url.Encode(new BigInteger(serialHex, 16).ToByteArray());

    /// <summary>
    /// RFC 9773 §4.2: a window in the last third of the lifetime (from two thirds to five sixths);
    /// a revoked certificate gets a window in the past, so clients renew at once.
    /// </summary>
    public async Task<(DateTimeOffset Start, DateTimeOffset End)> SuggestedWindowAsync(string identifier, CancellationToken ct)
    {
        var certificate = await FindAsync(identifier, ct)
            ?? throw new AcmeProblemException(AcmeProblems.NotFound($"No certificate of this CA is named '{identifier}'"));
        if (certificate.Status == CertificateStatus.Revoked)
        {
            var now = time.GetUtcNow();
            return (now.AddHours(-2), now.AddHours(-1));
        }

        var notBefore = DateTimeOffset.FromUnixTimeMilliseconds(certificate.NotBefore);
        var lifetime = TimeSpan.FromMilliseconds(certificate.NotAfter - certificate.NotBefore);
        return (notBefore + lifetime * 2 / 3, notBefore + lifetime * 5 / 6);
    }

    /// <summary>
    /// RFC 9773 §5: <c>replaces</c> must name a certificate of this account that shares a mailbox with
    /// the new order and that no other live order replaces yet (else 409 alreadyReplaced). Returns the
    /// canonical identifier, stored on the order and echoed.
    /// </summary>
    public async Task<string> CheckReplacesAsync(DbConnection c, DbTransaction tx, string identifier, string accountId, IReadOnlyCollection<string> mailboxes, CancellationToken ct)
    {
        var certificate = await FindAsync(identifier, ct);
        if (certificate is null || certificate.AccountId != accountId)
        {
            throw new AcmeProblemException(AcmeProblems.Malformed($"'replaces' names no certificate of this account: '{identifier}'"));
        }

        var replaced = System.Text.Json.JsonSerializer.Deserialize(certificate.Identifiers, AcmeJsonContext.Default.ListString) ?? [];
        if (!replaced.Intersect(mailboxes, StringComparer.Ordinal).Any())
        {
            throw new AcmeProblemException(AcmeProblems.Malformed("The replaced certificate shares no mailbox with the new order"));
        }

        // Stored and compared in canonical form, whatever encoding variant the client sent.
        var canonical = IdentifierOf(ca.SubjectKeyIdentifier, certificate.Serial);
        if (await orders.IsReplacedAsync(c, tx, canonical))
        {
            throw new AcmeProblemException(AcmeProblems.AlreadyReplaced($"Certificate {certificate.Serial} is already replaced by another order"));
        }

        return canonical;
    }

    private async Task<CertificateRow?> FindAsync(string identifier, CancellationToken ct)
    {
        var dot = identifier.IndexOf('.');
        if (dot <= 0 || !StrictBase64Url.TryDecode(identifier[..dot], out var keyId) || !StrictBase64Url.TryDecode(identifier[(dot + 1)..], out var serialBytes) || serialBytes.Length == 0)
        {
            throw new AcmeProblemException(AcmeProblems.Malformed($"'{identifier}' is not a certificate identifier (base64url AKI '.' base64url serial)"));
        }

        if (!keyId.AsSpan().SequenceEqual(ca.SubjectKeyIdentifier))
        {
            return null;
        }

        var serialHex = new BigInteger(serialBytes).ToString(16).ToLowerInvariant();
        return await db.ReadAsync(c => certificates.FindBySerialAsync(c, serialHex), ct);
    }
}
