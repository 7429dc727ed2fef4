using Acme.Server.Storage;
using Org.BouncyCastle.Math;

namespace Acme.Server.Issuance;

/// <summary>
/// Serves the issuing CA's full CRL, the same bytes from every instance: each CRL is generated once,
/// stored with its number, and served until a revocation is recorded or it is a day old; then whichever
/// instance serves the next request generates the next one (SBR 4.9.7: reissue at least every 7 days,
/// nextUpdate at most 10 days; here 7-day nextUpdate, daily reissue).
/// </summary>
public sealed class CrlService(Database db, CertificateStore certificates, CrlStore crls, CrlGenerator generator, TimeProvider time)
{
    private static readonly TimeSpan Validity = TimeSpan.FromDays(7);
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromDays(1);

    public async Task<byte[]> GetAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var (latest, revokedCount) = await db.ReadAsync(async c => (await crls.LatestAsync(c), await certificates.CountRevokedAsync(c)), ct);
        if (latest is not null && latest.RevokedCount == revokedCount && now.ToUnixTimeMilliseconds() - latest.ThisUpdate < RefreshAfter.TotalMilliseconds)
        {
            return latest.Der;
        }

        var revoked = await db.ReadAsync(c => certificates.RevokedUnexpiredAsync(c, now.ToUnixTimeMilliseconds()), ct);
        var entries = revoked.Select(r => new RevokedEntry(r.Serial, DateTimeOffset.FromUnixTimeMilliseconds(r.RevokedAt ?? r.IssuedAt), (int?)r.RevocationReason));
        // RFC 5280 §5.2.3: CRL numbers only grow. Earlier versions numbered by the time in milliseconds, so never go below it.
        var number = Math.Max((latest?.Number ?? 0) + 1, now.ToUnixTimeMilliseconds());
        var der = generator.Generate(entries, BigInteger.ValueOf(number), Validity);
        try
        {
            await db.WriteAsync((c, tx) => crls.InsertAsync(c, tx, new CrlRow { Number = number, Der = der, ThisUpdate = now.ToUnixTimeMilliseconds(), RevokedCount = revokedCount }), ct);
            return der;
        }
        catch (System.Data.Common.DbException e) when (StorageErrors.IsUniqueViolation(e))
        {
            // Another instance generated this number first: serve its bytes, so every instance serves the same CRL.
            return (await db.ReadAsync(c => crls.LatestAsync(c), ct))!.Der;
        }
    }
}
