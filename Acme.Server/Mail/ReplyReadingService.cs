using Acme.Server.Hosting;
using Acme.Server.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acme.Server.Mail;

/// <summary>The reading loop: new replies in and judged, then wait for mail (IMAP IDLE) or the interval. Runs apart from sending.</summary>
public sealed class ReplyReadingService(ReplyProcessor replies, IReplySource source, IOptions<MailOptions> options, TimeProvider time, ILogger<ReplyReadingService> log)
    : BackgroundLoop(time, log)
{
    protected override string Name => "reply reading";

    protected override bool Enabled => options.Value.RunInBackground;

    protected override TimeSpan Interval => options.Value.LoopInterval;

    protected override Task RunPassAsync(CancellationToken ct) => replies.RunOnceAsync(ct);

    protected override Task WaitAsync(TimeSpan max, CancellationToken ct) => source.WaitAsync(max, ct);
}
