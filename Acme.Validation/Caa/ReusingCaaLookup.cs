using System.Collections.Concurrent;

namespace Acme.Validation.Caa;

/// <summary>
/// Keeps each successful CAA answer (records, NODATA or NXDOMAIN) for a bounded time and answers the same name from
/// it, stamped with <see cref="CaaLookupResult.RetrievedAt"/>, so that many mailboxes of one domain cost one climb
/// of DNS queries instead of one each (issue 13). Failures are never kept: the next lookup asks again, and so does
/// every retry of SBR 4.2.2.1. <see cref="ProveInsecureAsync"/> always asks.
/// </summary>
/// <remarks>
/// SBR 4.2.2.1 lets a CA issue within the CAA record's TTL or 8 hours after the check, whichever is longer; a reused
/// answer is a check made when it was retrieved, so the evaluator dates its decision from the oldest answer it used,
/// and the reuse period may not exceed 8 hours.
/// </remarks>
public sealed class ReusingCaaLookup : ICaaLookup
{
    /// <summary>The longest reuse SBR 4.2.2.1 allows whatever the TTL.</summary>
    public static readonly TimeSpan MaxReuse = TimeSpan.FromHours(8);

    private readonly ICaaLookup _inner;
    private readonly TimeProvider _time;
    private readonly TimeSpan _reuse;
    private readonly int _maxNames;
    private readonly ConcurrentDictionary<string, CaaLookupResult> _kept = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The lookup that queries DNS.</param>
    /// <param name="time">The clock.</param>
    /// <param name="reuse">How long an answer is reused; zero turns reuse off.</param>
    /// <param name="maxNames">The most names kept; when full, expired answers are dropped, then all.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reuse"/> is negative or over <see cref="MaxReuse"/>.</exception>
    public ReusingCaaLookup(ICaaLookup inner, TimeProvider time, TimeSpan reuse, int maxNames = 10_000)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(reuse, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reuse, MaxReuse);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNames, 1);
        _inner = inner;
        _time = time;
        _reuse = reuse;
        _maxNames = maxNames;
    }

    /// <summary>How many names are kept now.</summary>
    public int Count => _kept.Count;

    /// <inheritdoc />
    public async Task<CaaLookupResult> LookupAsync(string domain, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(domain);
        if (_reuse == TimeSpan.Zero)
        {
            return await _inner.LookupAsync(domain, ct).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow();
        if (_kept.TryGetValue(domain, out var kept) && Fresh(kept, now))
        {
            return kept;
        }

        // Dated from before the query: the answer may reflect DNS as it was at any moment of it.
        var result = await _inner.LookupAsync(domain, ct).ConfigureAwait(false);
        if (result.Status == CaaLookupStatus.Failure)
        {
            _kept.TryRemove(domain, out _);
            return result;
        }

        if (_kept.Count >= _maxNames)
        {
            Trim(now);
        }

        _kept[domain] = result with { RetrievedAt = now };
        return result;
    }

    /// <inheritdoc />
    public Task<bool> ProveInsecureAsync(string domain, CancellationToken ct) => _inner.ProveInsecureAsync(domain, ct);

    private bool Fresh(CaaLookupResult kept, DateTimeOffset now) =>
        kept.RetrievedAt is { } at && now - at < _reuse && now >= at;

    private void Trim(DateTimeOffset now)
    {
        foreach (var (name, kept) in _kept)
        {
            if (!Fresh(kept, now))
            {
                _kept.TryRemove(name, out _);
            }
        }

        if (_kept.Count >= _maxNames)
        {
            _kept.Clear();
        }
    }
}
