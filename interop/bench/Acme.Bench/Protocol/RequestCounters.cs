namespace Acme.Bench.Protocol;

/// <summary>What a set of sessions sent: requests, badNonce retries, status polls. Thread-safe.</summary>
public sealed class RequestCounters
{
    private long _requests;
    private long _badNonceRetries;
    private long _polls;

    /// <summary>HTTP requests sent, newNonce included.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests sent again after a badNonce answer.</summary>
    public long BadNonceRetries => Interlocked.Read(ref _badNonceRetries);

    /// <summary>POST-as-GET requests that polled an authorization or order.</summary>
    public long Polls => Interlocked.Read(ref _polls);

    /// <summary>Counts one request.</summary>
    public void Request() => Interlocked.Increment(ref _requests);

    /// <summary>Counts one badNonce retry.</summary>
    public void BadNonceRetry() => Interlocked.Increment(ref _badNonceRetries);

    /// <summary>Counts one poll.</summary>
    public void Poll() => Interlocked.Increment(ref _polls);
}
