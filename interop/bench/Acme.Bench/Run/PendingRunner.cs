using System.Diagnostics;
using Acme.Bench.Cli;
using Acme.Bench.Issuance;
using Acme.Bench.Measure;
using Acme.Bench.Protocol;

namespace Acme.Bench.Run;

/// <summary>
/// --pending: leaves N authorizations pending in our server as clients that never answer would (newOrder, then the
/// authorization fetch that queues the challenge mail), waits until the server has sent them all, and reports its
/// RSS and CPU. Bounded by count and by --stored-max-seconds.
/// </summary>
public sealed class PendingRunner(ServerTarget ours, AcmeDirectory directory, BenchOptions options, string runTag, TextWriter log)
{
    private static readonly TimeSpan SettleMax = TimeSpan.FromMinutes(5);

    /// <summary>Creates the pending authorizations and prints one line of results; returns how many failed.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        log.WriteLine($"leaving {options.Pending} authorizations pending in ours ({options.StoredConcurrency} workers, at most {options.StoredMax.TotalSeconds} s)...");
        var counters = new RequestCounters();
        var sessions = Enumerable.Range(0, options.StoredConcurrency).Select(_ => new AcmeSession(ours.Http, directory, counters)).ToArray();
        try
        {
            await Task.WhenAll(sessions.Select(s => s.CreateAccountAsync(ct)));
            var before = ProcessSample.Read(ours.Pid, options.ClockTicks);
            var clock = Stopwatch.StartNew();
            var handedOut = 0;
            var created = 0;
            var failed = 0;
            string? firstError = null;
            await Task.WhenAll(sessions.Select((session, worker) => Task.Run(async () =>
            {
                for (var seq = 0; Interlocked.Increment(ref handedOut) <= options.Pending && clock.Elapsed < options.StoredMax; seq++)
                {
                    try
                    {
                        var order = await OrderRequests.CreateAsync(session, "email", $"{runTag}-p-w{worker}-{seq}@{options.UserDomain}", ct);
                        await OrderRequests.ChallengeAsync(session, order.AuthorizationUrl, "email-reply-00", ct);
                        Interlocked.Increment(ref created);
                    }
                    catch (Exception e) when (!ct.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref failed);
                        Interlocked.CompareExchange(ref firstError, e.Message, null);
                    }
                }
            }, ct)));
            clock.Stop();

            // The challenge mails go out after the requests: let the outbox drain before reading the memory.
            await WaitUntilQuietAsync(ct);
            var after = ProcessSample.Read(ours.Pid, options.ClockTicks);
            log.WriteLine($"pending: {created} authorizations in {clock.Elapsed.TotalSeconds:0} s ({failed} failed{(firstError is null ? "" : ": " + firstError)}); "
                + $"server CPU {(after.CpuMilliseconds - before.CpuMilliseconds) / Math.Max(1, created):0.0} ms per authorization (request and mail), "
                + $"RSS {before.RssKilobytes / 1024} MiB before, {after.RssKilobytes / 1024} MiB with them pending");
            return failed;
        }
        finally
        {
            foreach (var session in sessions)
            {
                session.Dispose();
            }
        }
    }

    /// <summary>Until the server spends under 50 ms of CPU in each of two seconds in a row (at most five minutes).</summary>
    private async Task WaitUntilQuietAsync(CancellationToken ct)
    {
        var quiet = 0;
        var waited = Stopwatch.StartNew();
        var last = ProcessSample.Read(ours.Pid, options.ClockTicks);
        while (quiet < 2 && waited.Elapsed < SettleMax)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var now = ProcessSample.Read(ours.Pid, options.ClockTicks);
            quiet = now.CpuMilliseconds - last.CpuMilliseconds < 50 ? quiet + 1 : 0;
            last = now;
        }
    }
}
