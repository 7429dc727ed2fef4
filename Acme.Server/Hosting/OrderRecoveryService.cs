using Acme.Server.Issuance;
using Acme.Server.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acme.Server.Hosting;

/// <summary>Runs <see cref="ProcessingOrderRecovery"/> at start-up and then every half of <see cref="IssuanceOptions.RecoverProcessingAfter"/>.</summary>
public sealed class OrderRecoveryService(ProcessingOrderRecovery recovery, IOptions<IssuanceOptions> issuance, IOptions<MailOptions> mail, TimeProvider time, ILogger<OrderRecoveryService> log)
    : BackgroundLoop(time, log)
{
    protected override string Name => "processing-order recovery";

    protected override bool Enabled => mail.Value.RunInBackground;

    protected override TimeSpan Interval => issuance.Value.RecoverProcessingAfter / 2;

    protected override Task RunPassAsync(CancellationToken ct) => recovery.RunOnceAsync(ct);
}
