using System.Collections.Concurrent;
using System.Text.Json;

namespace Acme.Server.Jws;

/// <summary>
/// Account keys as parsed from their stored JWK text, so a request with a <c>kid</c> does not validate and
/// load the same key again (the point check and the load into OpenSSL cost more than the signature check).
/// Keyed by the stored text itself: the account row is still read on every request, so a changed key
/// (RFC 8555 §7.3.5), a deactivation or a suspension takes effect at once, on every instance.
/// </summary>
/// <param name="capacity">At most this many keys are kept; when full, the cache starts over.</param>
public sealed class StoredKeyCache(int capacity = StoredKeyCache.DefaultCapacity)
{
    public const int DefaultCapacity = 10_000;

    private readonly ConcurrentDictionary<string, JsonWebKey> _keys = new(StringComparer.Ordinal);

    /// <summary>How many keys are held now.</summary>
    public int Count => _keys.Count;

    /// <summary>The key of a stored canonical JWK; a text that does not parse throws and is not kept.</summary>
    public JsonWebKey Get(string storedJwk)
    {
        if (_keys.TryGetValue(storedJwk, out var known))
        {
            return known;
        }

        using var document = JsonDocument.Parse(storedJwk);
        var key = JsonWebKey.Parse(document.RootElement);
        if (_keys.Count >= Math.Max(1, capacity))
        {
            _keys.Clear();
        }

        _keys[storedJwk] = key;
        return key;
    }
}
