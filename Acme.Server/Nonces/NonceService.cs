using System.Collections.Concurrent;
using System.Security.Cryptography;
using Acme.Validation.Codecs;

namespace Acme.Server.Nonces;

/// <summary>
/// Issues and redeems anti-replay nonces (RFC 8555 §6.5): 128 random bits, single use, expiring.
/// Held in memory with a fixed capacity; a restart invalidates outstanding nonces and clients
/// retry on <c>badNonce</c> as §6.5 requires them to.
/// </summary>
public sealed class NonceService(TimeProvider time, TimeSpan lifetime, int capacity = 200_000)
{
    private readonly ConcurrentDictionary<string, long> _live = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private long _redeemed;

    /// <summary>
    /// Optional test hook: the share of valid nonces refused (Pebble's NONCEREJECT idea). Unlike Pebble the
    /// refusals are spread evenly over the redemptions (34 refuses the 3rd, 6th, 9th, ...), so a run is
    /// repeatable and, up to 50, a client's single retry always gets through.
    /// </summary>
    public int RejectPercent { get; init; }

    public string Issue()
    {
        var nonce = StrictBase64Url.Encode(RandomNumberGenerator.GetBytes(16));
        var expires = time.GetUtcNow().Add(lifetime).ToUnixTimeMilliseconds();
        _live[nonce] = expires;
        _order.Enqueue(nonce);
        Trim();
        return nonce;
    }

    /// <summary>True exactly once for a nonce this server issued that has not expired (RFC 8555 §6.5.2).</summary>
    public bool TryRedeem(string? nonce) => Redeem(nonce) == NonceRedemption.Accepted;

    /// <summary>Redeems the nonce and says why it was refused, so the badNonce detail can tell a test refusal apart.</summary>
    public NonceRedemption Redeem(string? nonce)
    {
        if (string.IsNullOrEmpty(nonce) || !_live.TryRemove(nonce, out var expires)
            || expires <= time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            return NonceRedemption.UnknownExpiredOrUsed;
        }

        return RejectPercent > 0 && IsRefusedByTestHook(Interlocked.Increment(ref _redeemed))
            ? NonceRedemption.RefusedByTestSwitch
            : NonceRedemption.Accepted;
    }

    // Redemption n is refused when the running count of refusals, floor(n * p / 100), steps up at n.
    private bool IsRefusedByTestHook(long n) => n * RejectPercent / 100 > (n - 1) * RejectPercent / 100;

    private void Trim()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        while (_order.TryPeek(out var oldest))
        {
            var redeemedOrExpired = !_live.TryGetValue(oldest, out var expires) || expires <= now;
            if (!redeemedOrExpired && _live.Count <= capacity)
            {
                break;
            }

            if (_order.TryDequeue(out var dropped))
            {
                _live.TryRemove(dropped, out _);
            }
        }
    }
}

/// <summary>The result of redeeming a nonce.</summary>
public enum NonceRedemption
{
    Accepted,
    UnknownExpiredOrUsed,

    /// <summary>A valid nonce refused by <see cref="NonceService.RejectPercent"/> (Development test switch).</summary>
    RefusedByTestSwitch,
}
