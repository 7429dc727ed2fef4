using Acme.Bench.Cli;
using Acme.Bench.Report;
using Acme.Bench.Run;

// The load client of interop/bench (run.sh starts the servers and passes where they are).
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"bench: {e.Message}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    var runner = new BenchRunner(options, Console.Out);
    var results = await runner.RunAsync(cancel.Token);
    ResultTable.Write(results, Console.Out);
    ResultTable.WriteRequestCosts(runner.RequestCosts, Console.Out);
    var failed = results.Sum(r => r.Failed + r.WarmupFailed) + runner.OtherFailed;
    int Count(string server) => results.Where(r => r.Server == server).Sum(r => r.Succeeded);
    var ok = failed == 0 && options.Servers.All(s => Count(s) > 0);
    if (options.Smoke)
    {
        Console.WriteLine($"bench smoke: {Count("ours")} issuances ours, {Count("pebble")} pebble, {(ok ? "OK" : $"FAILED ({failed} failed)")}");
    }

    return ok ? 0 : 1;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("bench: interrupted");
    return 130;
}
catch (Exception e) when (e is Acme.Bench.Protocol.AcmeFailure or HttpRequestException or IOException or InvalidDataException or TaskCanceledException)
{
    // Set-up failures (directory, newAccount, key file): no table to show.
    Console.Error.WriteLine($"bench: {e.Message}");
    if (options.Smoke)
    {
        Console.WriteLine("bench smoke: 0 issuances ours, 0 pebble, FAILED");
    }

    return 1;
}
