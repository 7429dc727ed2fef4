using System.Globalization;
using Acme.Bench.Issuance;
using Acme.Bench.Measure;
using Acme.Bench.Run;

namespace Acme.Bench.Report;

/// <summary>Prints the measured blocks as two Markdown tables: throughput and cost, then step latencies.</summary>
public static class ResultTable
{
    /// <summary>Writes both tables.</summary>
    public static void Write(IReadOnlyList<BlockResult> results, TextWriter output)
    {
        var rows = results.OrderBy(r => r.Concurrency).ThenBy(r => r.Server == "ours" ? 0 : 1).ToList();
        output.WriteLine();
        output.WriteLine("| server | conc | ok | failed | issuances/s | ours/pebble | server CPU ms/iss | client CPU ms/iss | server / client CPU | server RSS MiB | requests/iss | polls/iss |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            var per = Math.Max(1, r.Succeeded);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Server} | {r.Concurrency} | {r.Succeeded} | {r.Failed} | {r.PerSecond:0.00} | {Ratio(r, results)} | {r.ServerCpuMilliseconds / per:0.0} | "
                + $"{r.ClientCpuMilliseconds / per:0.0} | {CpuQuotient(r)} | {r.ServerRssKilobytes / 1024.0:0} | {(double)r.Requests / per:0.0} | {(double)r.Polls / per:0.0} |"));
        }

        foreach (var r in rows.Where(r => r.Server == "ours" && Withheld(r, results) is not null))
        {
            output.WriteLine();
            output.WriteLine($"ours/pebble is not given at concurrency {r.Concurrency}: {Withheld(r, results)}, so issuances/s there is not the server's speed.");
        }

        output.WriteLine();
        output.WriteLine("Step latencies in ms, p50 / p99 (nearest rank over the successful measured issuances):");
        output.WriteLine();
        output.WriteLine("| server | conc | " + string.Join(" | ", Steps.All) + " |");
        output.WriteLine("| --- | ---: | " + string.Join(" | ", Steps.All.Select(_ => "---:")) + " |");
        foreach (var r in rows)
        {
            var cells = Steps.All.Select(step => Cell(r.Step(step)));
            output.WriteLine($"| {r.Server} | {r.Concurrency} | {string.Join(" | ", cells)} |");
        }
    }

    /// <summary>Writes the --request-costs table (nothing when it was not asked for).</summary>
    public static void WriteRequestCosts(IReadOnlyList<RequestCostRunner.Cost> costs, TextWriter output)
    {
        if (costs.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("Single requests (--request-costs), CPU in microseconds per request:");
        output.WriteLine();
        output.WriteLine("| server | request | ok | failed | requests/s | server CPU µs/req | client CPU µs/req | server CPU ours / pebble |");
        output.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var c in costs.OrderBy(c => c.Request).ThenBy(c => c.Server == "ours" ? 0 : 1))
        {
            var pebble = costs.FirstOrDefault(p => p.Server == "pebble" && p.Request == c.Request);
            var ratio = c.Server == "ours" && c.Failed == 0 && pebble is { ServerMicroseconds: > 0, Failed: 0 }
                ? (c.ServerMicroseconds / pebble.ServerMicroseconds).ToString("0.00", CultureInfo.InvariantCulture)
                : "-";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {c.Server} | {c.Request} | {c.Succeeded} | {c.Failed} | {c.PerSecond:0} | {c.ServerMicroseconds:0} | {c.ClientMicroseconds:0} | {ratio} |"));
        }
    }

    private static string Ratio(BlockResult row, IReadOnlyList<BlockResult> all)
    {
        var pebble = Pebble(row, all);
        return row.Server != "ours" || pebble is null || pebble.PerSecond <= 0 || Withheld(row, all) is not null
            ? "-"
            : (row.PerSecond / pebble.PerSecond).ToString("0.00", CultureInfo.InvariantCulture);
    }

    private static BlockResult? Pebble(BlockResult row, IReadOnlyList<BlockResult> all) =>
        all.FirstOrDefault(r => r.Server == "pebble" && r.Concurrency == row.Concurrency);

    /// <summary>
    /// Why no ratio is given for our row: a block with failed issuances (Pebble's store stalls at times, and its
    /// blocks then end on the time bound) measures waiting, not speed. Null when both blocks are clean.
    /// </summary>
    private static string? Withheld(BlockResult ours, IReadOnlyList<BlockResult> all)
    {
        var pebble = Pebble(ours, all);
        var failing = new[] { ours, pebble }.Where(b => b is { Failed: > 0 }).Select(b => $"{b!.Server} failed {b.Failed} measured issuances").ToList();
        return pebble is null || failing.Count == 0 ? null : string.Join(" and ", failing);
    }

    // The client does the same work per issuance whichever build of a server it drives, so this quotient cancels the
    // machine's speed of the moment, which moves both CPU figures by up to a quarter from run to run on a shared VM.
    private static string CpuQuotient(BlockResult row) =>
        row.ClientCpuMilliseconds <= 0 ? "-" : (row.ServerCpuMilliseconds / row.ClientCpuMilliseconds).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Cell(IReadOnlyList<double> values) =>
        values.Count == 0
            ? "-"
            : string.Create(CultureInfo.InvariantCulture, $"{Percentiles.Of(values, 50):0} / {Percentiles.Of(values, 99):0}");
}
