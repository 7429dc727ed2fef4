using System.Diagnostics;

namespace Acme.Bench.Issuance;

/// <summary>The durations of one issuance's steps, in milliseconds, taken with a monotonic clock.</summary>
public sealed class StepTimes
{
    private readonly Dictionary<string, double> _ms = new(StringComparer.Ordinal);
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _mark;

    /// <summary>Starts the clock of the whole issuance and of its first step.</summary>
    public StepTimes() => _mark = _start;

    /// <summary>The recorded steps.</summary>
    public IReadOnlyDictionary<string, double> Milliseconds => _ms;

    /// <summary>Ends <paramref name="step"/> now; the next step starts now.</summary>
    public void End(string step)
    {
        var now = Stopwatch.GetTimestamp();
        _ms[step] = Stopwatch.GetElapsedTime(_mark, now).TotalMilliseconds;
        _mark = now;
    }

    /// <summary>Ends <paramref name="step"/> at <paramref name="timestamp"/> (a Stopwatch timestamp); the next starts now.</summary>
    public void EndAt(string step, long timestamp)
    {
        _ms[step] = Math.Max(0, Stopwatch.GetElapsedTime(_mark, timestamp).TotalMilliseconds);
        _mark = Stopwatch.GetTimestamp();
    }

    /// <summary>Starts the next step now, leaving the time since the last mark unrecorded (client-side work).</summary>
    public void Restart() => _mark = Stopwatch.GetTimestamp();

    /// <summary>Records the total.</summary>
    public StepTimes Finish()
    {
        _ms[Steps.Total] = Stopwatch.GetElapsedTime(_start).TotalMilliseconds;
        return this;
    }
}
