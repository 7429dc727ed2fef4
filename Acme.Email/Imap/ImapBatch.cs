using Acme.Email.Incoming;

namespace Acme.Email.Imap;

/// <summary>The result of one fetch.</summary>
/// <param name="Messages">New messages, lowest UID first.</param>
/// <param name="Cursor">The cursor to persist once the messages are recorded.</param>
/// <param name="CursorReset">True when UIDVALIDITY changed and reading restarted from the folder's start.</param>
/// <param name="MoreAvailable">True when the batch was cut at the requested maximum.</param>
public sealed record ImapBatch(IReadOnlyList<IncomingMessage> Messages, ImapCursor Cursor, bool CursorReset, bool MoreAvailable)
{
    /// <summary>The UIDs of <see cref="Messages"/>, for <see cref="ImapMailboxReader.MarkProcessedAsync(uint, IEnumerable{uint}, CancellationToken)"/>.</summary>
    public IReadOnlyList<uint> Uids { get; init; } = [];
}
