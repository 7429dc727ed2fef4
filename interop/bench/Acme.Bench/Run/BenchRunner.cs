using System.Security.Cryptography;
using Acme.Bench.Cli;
using Acme.Bench.Issuance;
using Acme.Bench.Mail;
using Acme.Bench.Measure;
using Acme.Bench.Protocol;

namespace Acme.Bench.Run;

/// <summary>
/// The whole run: optionally stores issuances in our server first, then for each concurrency level runs every
/// server once (the order alternating from level to level), and returns the measured blocks.
/// </summary>
public sealed class BenchRunner(BenchOptions options, TextWriter log)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Requests of --pending and --request-costs that failed (the smoke counts them as failures).</summary>
    public int OtherFailed { get; private set; }

    /// <summary>What --request-costs measured (empty without it).</summary>
    public IReadOnlyList<RequestCostRunner.Cost> RequestCosts { get; private set; } = [];

    /// <summary>Runs the benchmark.</summary>
    public async Task<IReadOnlyList<BlockResult>> RunAsync(CancellationToken ct)
    {
        var runTag = "r" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var pollMax = options.PollMax;
        var maxConnections = Math.Max(options.Concurrency.Max(), options.StoredConcurrency) + 4;
        ChallengeMailWatcher? watcher = null;
        var targets = new List<(ServerTarget Target, AcmeDirectory Directory)>();
        try
        {
            foreach (var name in options.Servers)
            {
                ServerTarget target;
                if (name == "ours")
                {
                    var data = options.OursData!;
                    watcher = new ChallengeMailWatcher(Path.Combine(data, "mail", "outgoing"));
                    var replies = new ReplyWriter(Path.Combine(data, "mail", "incoming"), DkimKeyFile.Load(options.DkimKey!), options.UserDomain, options.DkimSelector);
                    target = new ServerTarget("ours", options.OursDirectory!, TrustedHttp.Create(options.OursTrust!, maxConnections, RequestTimeout),
                        options.OursPid, new MailboxIssuanceFlow(watcher, replies, options.UserDomain, pollMax));
                }
                else
                {
                    target = new ServerTarget("pebble", options.PebbleDirectory!, TrustedHttp.Create(options.PebbleTrust!, maxConnections, RequestTimeout),
                        options.PebblePid, new DnsIssuanceFlow(options.DnsDomain, pollMax));
                }

                targets.Add((target, await AcmeDirectory.LoadAsync(target.Http, target.DirectoryUrl, ct)));
            }

            log.WriteLine($"run {runTag}: servers {string.Join(",", options.Servers)}, concurrency {string.Join(",", options.Concurrency)}, "
                + $"{options.Issuances} measured + {options.Warmup} warm-up issuances per server and level, at most {options.MaxPhase.TotalSeconds} s per phase, "
                + $"polls up to every {options.PollMax.TotalMilliseconds} ms");
            var ours = targets.FirstOrDefault(t => t.Target.Name == "ours");
            if (options.Stored > 0 && ours.Target is not null)
            {
                await StoreAsync(ours.Target, ours.Directory, runTag, ct);
            }

            if (options.InitialWarmup > 0 || options.PebbleInitialWarmup > 0)
            {
                var pebbleNote = options.PebbleInitialWarmup is { } p ? $", {p} for Pebble" : "";
                log.WriteLine($"initial warm-up ({options.InitialWarmup} issuances per server{pebbleNote} at concurrency {options.Concurrency.Max()}, not counted):");
                foreach (var (target, directory) in targets)
                {
                    var count = target.Name == "pebble" ? options.PebbleInitialWarmup ?? options.InitialWarmup : options.InitialWarmup;
                    if (count > 0)
                    {
                        var runner = new BlockRunner(target, directory, options, runTag, log);
                        await runner.RunAsync(options.Concurrency.Max(), 0, count, options.MaxPhase, "j", ct);
                    }
                }
            }

            log.WriteLine("measured:");
            var results = new List<BlockResult>();
            for (var level = 0; level < options.Concurrency.Count; level++)
            {
                var concurrency = options.Concurrency[level];
                // Alternate which server goes first, so neither always runs on the warmer (or noisier) machine.
                var order = level % 2 == 0 ? targets : Enumerable.Reverse(targets).ToList();
                foreach (var (target, directory) in order)
                {
                    var runner = new BlockRunner(target, directory, options, runTag, log);
                    results.Add(await runner.RunAsync(concurrency, options.Warmup, options.Issuances, options.MaxPhase, $"c{concurrency}", ct));
                }
            }

            // At the end, when start-up and most JIT work are long over: what the background loops cost alone.
            if (options.Idle > TimeSpan.Zero)
            {
                await MeasureIdleAsync(targets.Select(t => t.Target).ToList(), ct);
            }

            if (options.RequestCosts > 0)
            {
                RequestCosts = await new RequestCostRunner(options, runTag, log).RunAsync(targets, ct);
                OtherFailed += RequestCosts.Sum(c => c.Failed + c.WarmupFailed);
            }

            if (options.Pending > 0 && ours.Target is not null)
            {
                OtherFailed += await new PendingRunner(ours.Target, ours.Directory, options, runTag, log).RunAsync(ct);
            }

            if (watcher is not null && (watcher.Unclaimed > 0 || watcher.Unreadable > 0))
            {
                log.WriteLine($"challenge mails nobody waited for: {watcher.Unclaimed}, unreadable: {watcher.Unreadable}");
            }

            return results;
        }
        finally
        {
            foreach (var (target, _) in targets)
            {
                target.Http.Dispose();
            }

            if (watcher is not null)
            {
                await watcher.DisposeAsync();
            }
        }
    }

    /// <summary>Server CPU while no request arrives (background loops only), all servers in the same window.</summary>
    private async Task MeasureIdleAsync(IReadOnlyList<ServerTarget> targets, CancellationToken ct)
    {
        var before = targets.Select(t => ProcessSample.Read(t.Pid, options.ClockTicks)).ToList();
        await Task.Delay(options.Idle, ct);
        for (var i = 0; i < targets.Count; i++)
        {
            var after = ProcessSample.Read(targets[i].Pid, options.ClockTicks);
            log.WriteLine($"idle {targets[i].Name}: {(after.CpuMilliseconds - before[i].CpuMilliseconds) / options.Idle.TotalSeconds:0.0} ms CPU per second "
                + $"over {options.Idle.TotalSeconds:0} s, RSS {after.RssKilobytes / 1024} MiB");
        }
    }

    /// <summary>--stored: real issuances at high concurrency, bounded in time, so the database holds N before measuring.</summary>
    private async Task StoreAsync(ServerTarget ours, AcmeDirectory directory, string runTag, CancellationToken ct)
    {
        log.WriteLine($"storing {options.Stored} issuances in ours ({options.StoredConcurrency} workers, at most {options.StoredMax.TotalSeconds} s)...");
        var runner = new BlockRunner(ours, directory, options, runTag, log);
        var stored = await runner.RunAsync(options.StoredConcurrency, 0, options.Stored, options.StoredMax, "s", ct);
        log.WriteLine($"stored: {stored.Succeeded} issuances in {stored.Elapsed.TotalSeconds:0} s ({stored.Failed} failed); "
            + $"server CPU {stored.ServerCpuMilliseconds / Math.Max(1, stored.Succeeded):0.0} ms per issuance, RSS {stored.ServerRssKilobytes / 1024} MiB");
    }
}
