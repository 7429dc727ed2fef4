using System.Diagnostics;
using Acme.Bench.Cli;
using Acme.Bench.Issuance;
using Acme.Bench.Measure;
using Acme.Bench.Protocol;

namespace Acme.Bench.Run;

/// <summary>
/// --request-costs N: what single requests cost each server, apart from any mail or validation. Per server, the
/// highest --concurrency level of workers (an account and one order each) send N POST-as-GETs of their order, then
/// N newOrders, each kind after N/4 uncounted ones; it reports requests/s and the server's and the client's CPU per
/// request. Steadier than a whole issuance (no mail, no polls) and the same requests for both servers, so it shows
/// whether the gap between them is in the HTTP and JWS path or in what an issuance does besides.
/// </summary>
public sealed class RequestCostRunner(BenchOptions options, string runTag, TextWriter log)
{
    /// <summary>One measured kind of request on one server.</summary>
    public sealed record Cost(string Server, string Request, int Succeeded, int Failed, double PerSecond, double ServerMicroseconds, double ClientMicroseconds)
    {
        /// <summary>Failed requests of the uncounted ones before (not in <see cref="Failed"/>; the smoke counts both).</summary>
        public int WarmupFailed { get; init; }
    }

    /// <summary>Measures every target; returns the costs in the order measured.</summary>
    public async Task<IReadOnlyList<Cost>> RunAsync(IReadOnlyList<(ServerTarget Target, AcmeDirectory Directory)> targets, CancellationToken ct)
    {
        var workers = options.Concurrency.Max();
        var warmup = Math.Max(1, options.RequestCosts / 4);
        log.WriteLine($"request costs: {options.RequestCosts} of each kind per server ({warmup} uncounted first), {workers} workers, at most {options.MaxPhase.TotalSeconds} s each");
        var costs = new List<Cost>();
        foreach (var (target, directory) in targets)
        {
            var type = target.Name == "ours" ? "email" : "dns";
            var sessions = Enumerable.Range(0, workers).Select(_ => new AcmeSession(target.Http, directory, new RequestCounters())).ToArray();
            try
            {
                await Task.WhenAll(sessions.Select(s => s.CreateAccountAsync(ct)));
                var orders = await Task.WhenAll(sessions.Select((s, w) => OrderRequests.CreateAsync(s, type, Identifier(target.Name, $"g{w}"), ct)));
                Func<AcmeSession, int, Task> fetch = (s, w) => OrderRequests.FetchAsync(s, orders[w].OrderUrl, ct);
                // A new identifier for every newOrder, warm-up included: a repeated one could reuse a pending authorization.
                var serial = 0;
                Func<AcmeSession, int, Task> create = (s, w) =>
                    OrderRequests.CreateAsync(s, type, Identifier(target.Name, $"n{w}-{Interlocked.Increment(ref serial)}"), ct);
                foreach (var (request, send) in new[] { ("order fetch", fetch), ("newOrder", create) })
                {
                    var uncounted = await MeasureAsync(target, sessions, send, warmup, ct);
                    var cost = await MeasureAsync(target, sessions, send, options.RequestCosts, ct);
                    costs.Add(cost with { Request = request, WarmupFailed = uncounted.Failed });
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // A server that cannot even make the accounts (Pebble's store stalls at times) fails its rows; the run goes on.
                log.WriteLine($"request costs for {target.Name}: set-up failed: {e.Message}");
                costs.Add(new Cost(target.Name, "set-up", 0, 1, 0, 0, 0));
            }
            finally
            {
                foreach (var session in sessions)
                {
                    session.Dispose();
                }
            }
        }

        return costs;
    }

    private string Identifier(string server, string tag) =>
        server == "ours" ? $"{runTag}-rc-{tag}@{options.UserDomain}" : $"{runTag}-rc-{tag}.{options.DnsDomain}";

    /// <summary>Sends <paramref name="count"/> requests over the sessions, bounded by --max-seconds.</summary>
    private async Task<Cost> MeasureAsync(ServerTarget target, AcmeSession[] sessions, Func<AcmeSession, int, Task> send, int count, CancellationToken ct)
    {
        var handedOut = 0;
        var succeeded = 0;
        var failed = 0;
        var clock = Stopwatch.StartNew();
        var server0 = ProcessSample.Read(target.Pid, options.ClockTicks);
        var client0 = ProcessSample.Read(Environment.ProcessId, options.ClockTicks);
        await Task.WhenAll(sessions.Select((session, worker) => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref handedOut) <= count && clock.Elapsed < options.MaxPhase)
            {
                try
                {
                    await send(session, worker);
                    Interlocked.Increment(ref succeeded);
                }
                catch (Exception) when (!ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }, ct)));
        var elapsed = clock.Elapsed;
        var server1 = ProcessSample.Read(target.Pid, options.ClockTicks);
        var client1 = ProcessSample.Read(Environment.ProcessId, options.ClockTicks);
        var ok = Math.Max(1, succeeded);
        return new Cost(target.Name, "", succeeded, failed, succeeded / elapsed.TotalSeconds,
            (server1.CpuMilliseconds - server0.CpuMilliseconds) * 1000 / ok, (client1.CpuMilliseconds - client0.CpuMilliseconds) * 1000 / ok);
    }
}
