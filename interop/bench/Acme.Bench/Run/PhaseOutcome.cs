using System.Collections.Concurrent;
using Acme.Bench.Issuance;

namespace Acme.Bench.Run;

/// <summary>What the workers of one phase (warm-up or measured window) collected. Thread-safe.</summary>
public sealed class PhaseOutcome
{
    private const int KeptErrors = 5;
    private readonly ConcurrentQueue<StepTimes> _times = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private int _failed;

    /// <summary>Step times of the successful issuances.</summary>
    public IReadOnlyList<StepTimes> Times => _times.ToArray();

    /// <summary>The first few failure messages.</summary>
    public IReadOnlyList<string> Errors => _errors.ToArray();

    /// <summary>Failed issuances.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Records a success.</summary>
    public void Succeed(StepTimes times) => _times.Enqueue(times);

    /// <summary>Records a failure.</summary>
    public void Fail(string label, Exception e)
    {
        if (Interlocked.Increment(ref _failed) <= KeptErrors)
        {
            _errors.Enqueue($"{label}: {(e is OperationCanceledException ? "timed out" : e.Message)}");
        }
    }
}
