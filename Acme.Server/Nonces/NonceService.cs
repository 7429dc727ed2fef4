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

    /// <summary>Optional test hook: the percentage of valid nonces refused (Pebble's NONCEREJECT idea).</summary>
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
    public bool TryRedeem(string? nonce)
    {
        if (string.IsNullOrEmpty(nonce) || !_live.TryRemove(nonce, out var expires))
        {
            return false;
        }

        if (expires <= time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            return false;
        }

        return RejectPercent <= 0 || RandomNumberGenerator.GetInt32(100) >= RejectPercent;
    }

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
