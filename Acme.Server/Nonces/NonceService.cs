using System.Security.Cryptography;
using Acme.Validation.Codecs;

namespace Acme.Server.Nonces;

/// <summary>
/// Issues and redeems anti-replay nonces (RFC 8555 §6.5) in the memory of one process: 128 random bits,
/// single use, expiring, with a fixed capacity. A restart invalidates outstanding nonces and clients
/// retry on <c>badNonce</c> as §6.5 requires them to. The store of the SQLite engine (one instance).
/// </summary>
/// <remarks>
/// Memory follows the nonces still live, not the ones issued: nonces are queued in issue (and so expiry) order,
/// and a redeemed one behind a live head is garbage the queue cannot drop from its middle, so the queue is
/// rebuilt from the live ones once garbage outnumbers them (amortized constant). Before, one unredeemed nonce
/// at the head kept an hour of issued nonces (the lifetime) in memory: 40 MiB after 100,000 issuances (issue 13).
/// </remarks>
public sealed class NonceService(TimeProvider time, TimeSpan lifetime, int capacity = 200_000) : INonceStore
{
    private const int CompactionSlack = 1024;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _live = new(StringComparer.Ordinal);
    private Queue<string> _order = new();
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
        var now = time.GetUtcNow();
        lock (_gate)
        {
            _live[nonce] = now.Add(lifetime).ToUnixTimeMilliseconds();
            _order.Enqueue(nonce);
            Trim(now.ToUnixTimeMilliseconds());
        }

        return nonce;
    }

    /// <summary>Nonces the queue holds, live or not yet dropped (what the memory follows).</summary>
    internal int Tracked
    {
        get
        {
            lock (_gate)
            {
                return _order.Count;
            }
        }
    }

    /// <summary>True exactly once for a nonce this server issued that has not expired (RFC 8555 §6.5.2).</summary>
    public bool TryRedeem(string? nonce) => Redeem(nonce) == NonceRedemption.Accepted;

    /// <summary>Redeems the nonce and says why it was refused, so the badNonce detail can tell a test refusal apart.</summary>
    public NonceRedemption Redeem(string? nonce)
    {
        long expires;
        lock (_gate)
        {
            if (string.IsNullOrEmpty(nonce) || !_live.Remove(nonce, out expires))
            {
                return NonceRedemption.UnknownExpiredOrUsed;
            }
        }

        if (expires <= time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            return NonceRedemption.UnknownExpiredOrUsed;
        }

        return _reject.Refuses() ? NonceRedemption.RefusedByTestSwitch : NonceRedemption.Accepted;
    }

    // Under _gate. Drops redeemed and expired nonces at the head, and the oldest live ones over the capacity.
    private void Trim(long now)
    {
        while (_order.TryPeek(out var oldest))
        {
            var redeemedOrExpired = !_live.TryGetValue(oldest, out var expires) || expires <= now;
            if (!redeemedOrExpired && _live.Count <= capacity)
            {
                break;
            }

            _live.Remove(_order.Dequeue());
        }

        if (_order.Count > 2 * _live.Count + CompactionSlack)
        {
            _order = new Queue<string>(_order.Where(_live.ContainsKey));
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
