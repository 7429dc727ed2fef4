using Acme.Server.Hosting;
using Acme.Server.Workflows;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acme.Server.Mail;

/// <summary>
/// Hosts the mail loops: due challenge mails out, new replies in, then wait (IMAP IDLE, or the loop
/// interval). Errors are logged and retried with backoff; they never stop the process.
/// </summary>
public sealed partial class MailBackgroundService(
    ChallengeMailDispatcher dispatcher, ReplyProcessor replies, IReplySource source, IOptions<MailOptions> options,
    TimeProvider time, ILogger<MailBackgroundService> log) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunInBackground)
        {
            return;
        }

        var interval = options.Value.LoopInterval;
        var backoff = interval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await dispatcher.RunOnceAsync(stoppingToken);
                await replies.RunOnceAsync(stoppingToken);
                backoff = interval;
                await source.WaitAsync(interval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogLoopFailed(log, e, backoff.TotalSeconds);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail loop failed; retrying in {Seconds} s")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception, double seconds);
}
