using System.Diagnostics;
using Acme.Bench.Cli;
using Acme.Bench.Measure;
using Acme.Bench.Protocol;

namespace Acme.Bench.Run;

/// <summary>
/// Runs one server at one concurrency: one account per worker (not measured), the warm-up, then the measured
/// window with server CPU and RSS read from /proc before and after. Each phase hands out a fixed number of
/// issuances and stops handing them out at its time bound; each issuance has its own timeout.
/// </summary>
public sealed class BlockRunner(ServerTarget target, AcmeDirectory directory, BenchOptions options, string runTag, TextWriter log)
{
    /// <summary>Runs the block; <paramref name="label"/> makes the identifiers of this block unique in the run.</summary>
    public async Task<BlockResult> RunAsync(int concurrency, int warmup, int issuances, TimeSpan maxPhase, string label, CancellationToken ct)
    {
        var counters = new RequestCounters();
        var sessions = await CreateSessionsAsync(concurrency, counters, ct);
        try
        {
            var warm = new PhaseOutcome();
            if (warmup > 0)
            {
                await PhaseAsync(sessions, warmup, maxPhase, label + "w", warm, ct);
            }

            var cpuBefore = ProcessSample.Read(target.Pid, options.ClockTicks);
            var clientBefore = ClientCpu();
            var (requests, polls, retries) = (counters.Requests, counters.Polls, counters.BadNonceRetries);
            var clock = Stopwatch.StartNew();
            var measured = new PhaseOutcome();
            await PhaseAsync(sessions, issuances, maxPhase, label + "m", measured, ct);
            clock.Stop();
            var cpuAfter = ProcessSample.Read(target.Pid, options.ClockTicks);
            var result = new BlockResult
            {
                Server = target.Name,
                Concurrency = concurrency,
                Succeeded = measured.Times.Count,
                Failed = measured.Failed,
                WarmupFailed = warm.Failed,
                Elapsed = clock.Elapsed,
                ServerCpuMilliseconds = cpuAfter.CpuMilliseconds - cpuBefore.CpuMilliseconds,
                ClientCpuMilliseconds = ClientCpu() - clientBefore,
                ServerRssKilobytes = cpuAfter.RssKilobytes,
                Requests = counters.Requests - requests,
                Polls = counters.Polls - polls,
                BadNonceRetries = counters.BadNonceRetries - retries,
                Times = measured.Times,
                Errors = [.. warm.Errors.Select(e => "warm-up " + e), .. measured.Errors],
            };
            log.WriteLine($"  {target.Name,-6} c={concurrency,-3} {result.Succeeded} ok, {result.Failed} failed (warm-up {warmup - warm.Failed}/{warmup}) "
                + $"in {result.Elapsed.TotalSeconds:0.0} s: {result.PerSecond:0.00}/s");
            foreach (var error in result.Errors)
            {
                log.WriteLine($"    error: {error}");
            }

            return result;
        }
        finally
        {
            foreach (var session in sessions)
            {
                session.Dispose();
            }
        }
    }

    private async Task<AcmeSession[]> CreateSessionsAsync(int count, RequestCounters counters, CancellationToken ct)
    {
        var sessions = Enumerable.Range(0, count).Select(_ => new AcmeSession(target.Http, directory, counters)).ToArray();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.IssuanceTimeout);
        try
        {
            await Task.WhenAll(sessions.Select(s => s.CreateAccountAsync(timeout.Token)));
            return sessions;
        }
        catch
        {
            foreach (var session in sessions)
            {
                session.Dispose();
            }

            throw;
        }
    }

    private async Task PhaseAsync(AcmeSession[] sessions, int issuances, TimeSpan maxPhase, string label, PhaseOutcome outcome, CancellationToken ct)
    {
        var handedOut = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(sessions.Select((session, worker) => Task.Run(async () =>
        {
            // Bounded twice: at most `issuances` in all, none started after the phase's time bound.
            for (var seq = 0; Interlocked.Increment(ref handedOut) <= issuances && clock.Elapsed < maxPhase; seq++)
            {
                var name = $"{runTag}-{label}-w{worker}-{seq}";
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(options.IssuanceTimeout);
                try
                {
                    outcome.Succeed(await target.Flow.IssueAsync(session, name, timeout.Token));
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    outcome.Fail(name, e);
                }
            }
        }, ct)));
    }

    private static double ClientCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalMilliseconds;
    }
}
