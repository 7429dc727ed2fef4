using Acme.Bench.Issuance;

namespace Acme.Bench.Measure;

/// <summary>The measured window of one server at one concurrency.</summary>
public sealed record BlockResult
{
    /// <summary>"ours" or "pebble".</summary>
    public required string Server { get; init; }

    /// <summary>Concurrent workers.</summary>
    public required int Concurrency { get; init; }

    /// <summary>Issuances that ended with a downloaded certificate.</summary>
    public required int Succeeded { get; init; }

    /// <summary>Issuances that failed (or timed out).</summary>
    public required int Failed { get; init; }

    /// <summary>Warm-up issuances that failed (not part of the window, but a smoke run fails on them).</summary>
    public required int WarmupFailed { get; init; }

    /// <summary>Wall time from the first measured request to the last measured answer.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Server CPU time (utime + stime) spent in the window.</summary>
    public required double ServerCpuMilliseconds { get; init; }

    /// <summary>This client's own CPU time in the window.</summary>
    public required double ClientCpuMilliseconds { get; init; }

    /// <summary>The server's VmRSS at the end of the window.</summary>
    public required long ServerRssKilobytes { get; init; }

    /// <summary>Requests sent in the window (newNonce included).</summary>
    public required long Requests { get; init; }

    /// <summary>Status polls in the window.</summary>
    public required long Polls { get; init; }

    /// <summary>badNonce retries in the window.</summary>
    public required long BadNonceRetries { get; init; }

    /// <summary>The step times of every successful issuance.</summary>
    public required IReadOnlyList<StepTimes> Times { get; init; }

    /// <summary>The first few failure messages.</summary>
    public required IReadOnlyList<string> Errors { get; init; }

    /// <summary>Successful issuances per second.</summary>
    public double PerSecond => Elapsed.TotalSeconds > 0 ? Succeeded / Elapsed.TotalSeconds : 0;

    /// <summary>The values of one step over all successful issuances.</summary>
    public IReadOnlyList<double> Step(string step) =>
        Times.Select(t => t.Milliseconds.TryGetValue(step, out var ms) ? ms : double.NaN).Where(ms => !double.IsNaN(ms)).ToArray();
}
