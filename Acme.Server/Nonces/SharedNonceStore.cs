using System.Buffers.Binary;
using System.Security.Cryptography;
using Acme.Server.Storage;
using Acme.Validation.Codecs;

namespace Acme.Server.Nonces;

/// <summary>
/// Nonces valid at every instance sharing the database, with nothing kept in memory. A nonce is
/// <c>base64url(id[16] ‖ expires[8] ‖ HMAC-SHA256(secret, id ‖ expires)[..16])</c>: issuing it writes
/// nothing; any instance checks the MAC (the secret is created once in the database and shared) and the
/// expiry, then records the id among the redeemed ones, where a primary key makes the first redemption
/// the only one. Redeemed ids are dropped once expired, so the table holds at most one nonce lifetime.
/// </summary>
public sealed class SharedNonceStore(Database db, IRedeemedNonceStore store, TimeProvider time, TimeSpan lifetime, NonceRejectSwitch reject) : INonceStore
{
    private const int IdBytes = 16;
    private const int MacBytes = 16;
    private const int TokenBytes = IdBytes + sizeof(long) + MacBytes;
    private const int PurgeEvery = 1000;

    private readonly SemaphoreSlim _secretGate = new(1, 1);
    private byte[]? _secret;
    private long _redemptions;

    public async Task<string> IssueAsync(CancellationToken ct)
    {
        var secret = await SecretAsync(ct);
        var token = new byte[TokenBytes];
        RandomNumberGenerator.Fill(token.AsSpan(0, IdBytes));
        BinaryPrimitives.WriteInt64BigEndian(token.AsSpan(IdBytes), time.GetUtcNow().Add(lifetime).ToUnixTimeMilliseconds());
        Mac(secret, token).AsSpan(0, MacBytes).CopyTo(token.AsSpan(IdBytes + sizeof(long)));
        return StrictBase64Url.Encode(token);
    }

    public async Task<NonceRedemption> RedeemAsync(string? nonce, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(nonce) || nonce.Length > 64 || !StrictBase64Url.TryDecode(nonce, out var token) || token.Length != TokenBytes)
        {
            return NonceRedemption.UnknownExpiredOrUsed;
        }

        var secret = await SecretAsync(ct);
        var expires = BinaryPrimitives.ReadInt64BigEndian(token.AsSpan(IdBytes));
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!CryptographicOperations.FixedTimeEquals(Mac(secret, token).AsSpan(0, MacBytes), token.AsSpan(IdBytes + sizeof(long))) || expires <= now)
        {
            return NonceRedemption.UnknownExpiredOrUsed;
        }

        var id = StrictBase64Url.Encode(token.AsSpan(0, IdBytes).ToArray());
        var first = await db.AutoCommitAsync(c => store.TryRedeemAsync(c, id, expires), ct);
        if (Interlocked.Increment(ref _redemptions) % PurgeEvery == 0)
        {
            await db.AutoCommitAsync(c => store.PurgeRedeemedAsync(c, now), ct);
        }

        if (!first)
        {
            return NonceRedemption.UnknownExpiredOrUsed;
        }

        return reject.Refuses() ? NonceRedemption.RefusedByTestSwitch : NonceRedemption.Accepted;
    }

    private static byte[] Mac(byte[] secret, byte[] token) => HMACSHA256.HashData(secret, token.AsSpan(0, IdBytes + sizeof(long)));

    private async Task<byte[]> SecretAsync(CancellationToken ct)
    {
        if (_secret is { } known)
        {
            return known;
        }

        await _secretGate.WaitAsync(ct);
        try
        {
            // The first instance to start stores its candidate; every instance then reads the one stored.
            return _secret ??= await db.WriteAsync((c, tx) => store.SecretAsync(c, tx, "nonce-mac", RandomNumberGenerator.GetBytes(32), time.GetUtcNow().ToUnixTimeMilliseconds()), ct);
        }
        finally
        {
            _secretGate.Release();
        }
    }
}
