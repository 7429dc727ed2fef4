using Acme.Server.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acme.Server.Mail;

/// <summary>
/// The reading loop: new replies in and judged, then wait for mail (IMAP IDLE) or the interval. Runs apart
/// from sending, and only on the instance holding the reader lease; the others wait their turn.
/// </summary>
public sealed class ReplyReadingService(
    LeasedReplyReader reader, IReplySource source, IOptions<MailOptions> options, TimeProvider time, ILogger<ReplyReadingService> log)
    : BackgroundLoop(time, log)
{
    private readonly TimeProvider _time = time;
    private bool _reading;

    protected override string Name => "reply reading";

    protected override bool Enabled => options.Value.RunInBackground;

    protected override TimeSpan Interval => options.Value.LoopInterval;

    protected override async Task RunPassAsync(CancellationToken ct) => _reading = await reader.RunOnceAsync(ct);

    // Only the reader waits on the source (IMAP IDLE); the others just wait for the next try.
    protected override Task WaitAsync(TimeSpan max, CancellationToken ct) => _reading ? source.WaitAsync(max, ct) : Task.Delay(max, _time, ct);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await reader.ReleaseAsync(cancellationToken);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or OperationCanceledException or InvalidOperationException)
        {
            // The lease then runs out by itself.
        }
    }
}
