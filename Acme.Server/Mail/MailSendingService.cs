using Acme.Server.Hosting;
using Acme.Server.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acme.Server.Mail;

/// <summary>The sending loop: due challenge mails out. Runs apart from reading, so a slow relay never delays replies.</summary>
public sealed class MailSendingService(
    ChallengeMailDispatcher dispatcher, OutboxWakeup wakeup, IOptions<MailOptions> options, TimeProvider time, ILogger<MailSendingService> log)
    : BackgroundLoop(time, log)
{
    protected override string Name => "challenge-mail sending";

    protected override bool Enabled => options.Value.RunInBackground;

    protected override TimeSpan Interval => options.Value.LoopInterval;

    protected override Task RunPassAsync(CancellationToken ct) => dispatcher.RunOnceAsync(ct);

    // A newly queued mail wakes the sender at its due time; the interval is the poll for everything else.
    protected override Task WaitAsync(TimeSpan max, CancellationToken ct) => wakeup.WaitAsync(max, ct);
}
