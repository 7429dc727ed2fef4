using System.Collections.Concurrent;
using Org.BouncyCastle.Crypto;

namespace Acme.Validation.Dkim;

/// <summary>
/// Parsed DKIM public keys by the text of their key record, so that a key already seen is not parsed
/// again: parsing an RSA key runs a primality test on its modulus (about 20 ms of CPU for 2048 bits),
/// the largest cost of judging a reply. Keyed by the record itself, not by the name it was found at,
/// this cache never serves a key the record no longer holds: every reply still looks the record up
/// (<see cref="DnsClientDkimKeyLookup"/> reuses an answer for its TTL, at most five minutes, as any
/// resolver would), and a new record is a new entry. Bounded (oldest entries dropped first); a record
/// that fails to parse is not kept.
/// </summary>
public sealed class DkimKeyCache(int capacity = 4096)
{
    private readonly ConcurrentDictionary<string, AsymmetricKeyParameter> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    /// <summary>How many parsed keys are held.</summary>
    public int Count => _keys.Count;

    /// <summary>The key parsed from <paramref name="record"/>, parsing it with <paramref name="parse"/> the first time.</summary>
    public AsymmetricKeyParameter GetOrParse(string record, Func<string, AsymmetricKeyParameter> parse)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(parse);
        if (_keys.TryGetValue(record, out var known))
        {
            return known;
        }

        var key = parse(record); // throws for a bad record, which is then not cached
        if (_keys.TryAdd(record, key))
        {
            _order.Enqueue(record);
            while (_keys.Count > capacity && _order.TryDequeue(out var oldest))
            {
                _keys.TryRemove(oldest, out _);
            }
        }

        return key;
    }
}
