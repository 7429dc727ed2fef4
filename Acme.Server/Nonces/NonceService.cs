using System.Collections.Concurrent;
using System.Security.Cryptography;
using Acme.Validation.Codecs;

namespace Acme.Server.Nonces;

/// <summary>
/// Issues and redeems anti-replay nonces (RFC 8555 §6.5) in the memory of one process: 128 random bits,
/// single use, expiring, with a fixed capacity. A restart invalidates outstanding nonces and clients
/// retry on <c>badNonce</c> as §6.5 requires them to. The store of the SQLite engine (one instance).
/// </summary>
public sealed class NonceService(TimeProvider time, TimeSpan lifetime, int capacity = 200_000) : INonceStore
{
    private readonly ConcurrentDictionary<string, long> _live = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private readonly NonceRejectSwitch _reject = new(0);

    /// <summary>Optional test hook: the share of valid nonces refused (<see cref="NonceRejectSwitch"/>).</summary>
    public int RejectPercent
    {
        get => _reject.Percent;
        init => _reject = new NonceRejectSwitch(value);
    }

    public Task<string> IssueAsync(CancellationToken ct) => Task.FromResult(Issue());

    public Task<NonceRedemption> RedeemAsync(string? nonce, CancellationToken ct) => Task.FromResult(Redeem(nonce));

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

        return _reject.Refuses() ? NonceRedemption.RefusedByTestSwitch : NonceRedemption.Accepted;
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

/// <summary>The result of redeeming a nonce.</summary>
public enum NonceRedemption
{
    Accepted,
    UnknownExpiredOrUsed,

    /// <summary>A valid nonce refused by <see cref="NonceRejectSwitch"/> (Development test switch Acme:NonceRejectPercent).</summary>
    RefusedByTestSwitch,
}
