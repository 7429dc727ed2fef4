using Acme.Server.Issuance;
using Acme.Server.Workflows;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acme.Server.Hosting;

/// <summary>Runs <see cref="ProcessingOrderRecovery"/> at start-up and then every half of <see cref="IssuanceOptions.RecoverProcessingAfter"/>.</summary>
public sealed class OrderRecoveryService(
    ProcessingOrderRecovery recovery, IHostApplicationLifetime lifetime, IOptions<IssuanceOptions> issuance, IOptions<MailOptions> mail,
    TimeProvider time, ILogger<OrderRecoveryService> log)
    : BackgroundLoop(time, log)
{
    protected override string Name => "processing-order recovery";

    protected override bool Enabled => mail.Value.RunInBackground;

    protected override TimeSpan Interval => issuance.Value.RecoverProcessingAfter / 2;

    protected override Task RunPassAsync(CancellationToken ct) => recovery.RunOnceAsync(ct);

    /// <summary>
    /// Hosted services start before Kestrel binds its listeners, and a recovered order is issued with CRL and
    /// CA-issuer URLs that may come from those listeners: with only the HTTPS one bound yet, the issuer was built
    /// with an https:// CRL URL and refused (SBR 7.1.2.3). The first pass waits until the server has started.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        await base.ExecuteAsync(stoppingToken);
    }
}
