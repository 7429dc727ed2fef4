using Acme.Server.Hosting;
using Acme.Server.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acme.Server.Mail;

/// <summary>
/// Decides which instance reads replies (the IMAP mailbox or the incoming folder): the holder of the
/// <c>reply-reader</c> lease, renewed on every pass; another instance takes over once it has run out
/// (<c>Mail:ReaderLease</c>). With one instance it is always this one.
/// </summary>
public sealed partial class ReaderLease(Database db, ILeaseStore leases, InstanceIdentity instance, IOptions<MailOptions> options, TimeProvider time, ILogger<ReaderLease> log)
{
    public const string Name = "reply-reader";

    private bool _held;

    /// <summary>Takes or renews the lease; true when this instance may read now.</summary>
    public async Task<bool> HoldAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var held = await db.AutoCommitAsync(
            c => leases.TryHoldAsync(c, Name, instance.Id, now.ToUnixTimeMilliseconds(), now.Add(options.Value.ReaderLease).ToUnixTimeMilliseconds()), ct);
        if (held != _held)
        {
            LogChanged(log, instance.Id, held ? "holds" : "does not hold");
            _held = held;
        }

        return held;
    }

    /// <summary>Gives the lease up (shutdown) so that another instance takes over at once.</summary>
    public async Task ReleaseAsync(CancellationToken ct)
    {
        if (_held)
        {
            await db.AutoCommitAsync(c => leases.ReleaseAsync(c, Name, instance.Id), ct);
            _held = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {Instance} now {State} the reply-reader lease")]
    private static partial void LogChanged(ILogger logger, string instance, string state);
}
