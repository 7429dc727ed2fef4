using Acme.Server.Storage;
using Org.BouncyCastle.Math;

namespace Acme.Server.Issuance;

/// <summary>
/// Serves the issuing CA's full CRL: regenerated after every revocation and at least daily, each
/// with a 7-day nextUpdate (SBR 4.9.7: reissue at least every 7 days, nextUpdate at most 10 days).
/// </summary>
public sealed class CrlService(Database db, CertificateStore certificates, CrlGenerator generator, TimeProvider time)
{
    private static readonly TimeSpan Validity = TimeSpan.FromDays(7);
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromDays(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (byte[] Der, DateTimeOffset At)? _current;

    public void Invalidate() => _current = null;

    public async Task<byte[]> GetAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_current is { } cached && now - cached.At < RefreshAfter)
        {
            return cached.Der;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (_current is { } again && now - again.At < RefreshAfter)
            {
                return again.Der;
            }

            var revoked = await db.ReadAsync(c => certificates.RevokedUnexpiredAsync(c, now.ToUnixTimeMilliseconds()), ct);
            var entries = revoked.Select(r => new RevokedEntry(r.Serial, DateTimeOffset.FromUnixTimeMilliseconds(r.RevokedAt ?? r.IssuedAt), (int?)r.RevocationReason));
            // CRL number: monotonic across restarts (RFC 5280 §5.2.3).
            var der = generator.Generate(entries, BigInteger.ValueOf(now.ToUnixTimeMilliseconds()), Validity);
            _current = (der, now);
            return der;
        }
        finally
        {
            _gate.Release();
        }
    }
}
