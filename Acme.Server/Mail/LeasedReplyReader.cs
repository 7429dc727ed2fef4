using Acme.Server.Workflows;

namespace Acme.Server.Mail;

/// <summary>One reading pass, done only by the instance holding the reader lease (IMAP mailbox or incoming folder).</summary>
public sealed class LeasedReplyReader(ReplyProcessor replies, ReaderLease lease)
{
    /// <summary>Takes or renews the lease and, when held, reads and judges new replies; false when another instance reads.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        if (!await lease.HoldAsync(ct))
        {
            return false;
        }

        await replies.RunOnceAsync(ct);
        return true;
    }

    /// <summary>Gives the lease up (shutdown) so that another instance reads at once.</summary>
    public Task ReleaseAsync(CancellationToken ct) => lease.ReleaseAsync(ct);
}
