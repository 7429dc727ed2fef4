using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acme.Server.Hosting;

/// <summary>
/// A background loop that survives everything but shutdown: run a pass, wait, repeat. A pass that
/// throws is logged and the loop backs off (doubling up to a minute) instead of stopping; items inside
/// a pass are isolated by the pass itself.
/// </summary>
public abstract partial class BackgroundLoop(TimeProvider time, ILogger log) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    /// <summary>The loop's name in logs.</summary>
    protected abstract string Name { get; }

    /// <summary>Whether the loop runs at all (tests drive passes themselves).</summary>
    protected abstract bool Enabled { get; }

    /// <summary>The normal wait between passes, and the first backoff after a failed pass.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>One pass over the work that is due.</summary>
    protected abstract Task RunPassAsync(CancellationToken ct);

    /// <summary>Waits until work may be there, at most <paramref name="max"/>.</summary>
    protected virtual Task WaitAsync(TimeSpan max, CancellationToken ct) => Task.Delay(max, time, ct);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        var backoff = Interval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunPassAsync(stoppingToken);
                backoff = Interval;
                await WaitAsync(Interval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogPassFailed(log, e, Name, backoff.TotalSeconds);
                try
                {
                    await Task.Delay(backoff, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Loop} loop failed; retrying in {Seconds} s")]
    private static partial void LogPassFailed(ILogger logger, Exception exception, string loop, double seconds);
}
