using Acme.Email.Imap;
using Acme.Email.Incoming;

namespace Acme.Server.Mail;

/// <summary>Where replies come from: an IMAP mailbox or, by default, a local folder.</summary>
public interface IReplySource
{
    /// <summary>New messages, raw bytes as received, oldest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<IncomingMessage>> FetchAsync(int max, CancellationToken ct);

    /// <summary>Called after the messages are recorded in the database: flag, move or advance the cursor.</summary>
    Task CommitAsync(IReadOnlyList<IncomingMessage> messages, CancellationToken ct);

    /// <summary>Waits until new mail may be there (IMAP IDLE) or <paramref name="max"/> elapses.</summary>
    Task WaitAsync(TimeSpan max, CancellationToken ct);

    /// <summary>
    /// True when new mail is known to have arrived since the last call, told without a round trip (a watched folder),
    /// and forgets it; a source that would have to ask its server says false, and its mail waits for the next pass.
    /// </summary>
    bool TryTakeArrivals() => false;
}
