using Acme.Server.Storage;
using Org.BouncyCastle.Math;

namespace Acme.Server.Issuance;

/// <summary>
/// Serves the issuing CA's full CRL, the same bytes from every instance: each CRL is generated once,
/// stored with its number, and served until a revocation is recorded or it is a day old; then whichever
/// instance serves the next request generates the next one (SBR 4.9.7: reissue at least every 7 days,
/// nextUpdate at most 10 days; here 7-day nextUpdate, daily reissue).
/// </summary>
public sealed class CrlService(Database db, ICertificateStore certificates, ICrlStore crls, CrlGenerator generator, TimeProvider time)
{
    private static readonly TimeSpan Validity = TimeSpan.FromDays(7);
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromDays(1);

    public async Task<byte[]> GetAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var current = await db.ReadAsync(async c => Current(await crls.LatestAsync(c), await certificates.CountRevokedAsync(c), now), ct);
        if (current is not null)
        {
            return current;
        }

        // Decided and stored in one write transaction: SQLite runs one writer at a time, and of two PostgreSQL
        // instances generating at once one loses a serialization conflict, runs again and serves the other's CRL.
        return await db.WriteAsync(async (c, tx) =>
        {
            var latest = await crls.LatestAsync(c, tx);
            var revokedCount = await certificates.CountRevokedAsync(c, tx);
            if (Current(latest, revokedCount, now) is { } stored)
            {
                return stored;
            }

            var revoked = await certificates.RevokedUnexpiredAsync(c, now, tx);
            var entries = revoked.Select(r => new RevokedEntry(r.Serial, DateTimeOffset.FromUnixTimeMilliseconds(r.RevokedAt ?? r.IssuedAt), (int?)r.RevocationReason));
            // RFC 5280 §5.2.3: CRL numbers only grow. Earlier versions numbered by the time in milliseconds, so never go below it.
            var number = Math.Max((latest?.Number ?? 0) + 1, now);
            var der = generator.Generate(entries, BigInteger.ValueOf(number), Validity);
            await crls.InsertAsync(c, tx, new CrlRow { Number = number, Der = der, ThisUpdate = now, RevokedCount = revokedCount });
            return der;
        }, ct);
    }

    // The stored CRL while no revocation came after it and it is less than a day old.
    private static byte[]? Current(CrlRow? latest, long revokedCount, long now) =>
        latest is not null && latest.RevokedCount == revokedCount && now - latest.ThisUpdate < RefreshAfter.TotalMilliseconds ? latest.Der : null;
}
