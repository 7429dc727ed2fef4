using Acme.Email.Imap;
using Acme.Email.Incoming;
using Acme.Server.Storage;

namespace Acme.Server.Mail;

/// <summary>
/// Replies from an IMAP mailbox. The UIDVALIDITY/last-UID cursor lives in the database and moves
/// only after the messages are recorded there, so work does not grow with the mailbox and a crash
/// between fetching and flagging never loses or repeats a reply.
/// </summary>
/// <remarks>Every fetch is recorded in <paramref name="link"/> (the readiness check's IMAP state).</remarks>
public sealed class ImapReplySource(ImapMailboxReader reader, Database db, IMailStore mails, MailLink link) : IReplySource
{
    private const string CursorName = "imap";
    private ImapCursor? _pending;
    private IReadOnlyList<uint> _fetchedUids = [];

    public async Task<IReadOnlyList<IncomingMessage>> FetchAsync(int max, CancellationToken ct)
    {
        var stored = await db.ReadAsync(c => mails.FindCursorAsync(c, CursorName), ct);
        var cursor = stored is { } s ? new ImapCursor((uint)s.UidValidity, (uint)s.LastUid) : new ImapCursor(0, 0);
        ImapBatch batch;
        try
        {
            batch = await reader.FetchNewAsync(cursor, max, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            link.Failed(e.Message);
            throw;
        }

        link.Succeeded();
        _pending = batch.Cursor;
        _fetchedUids = batch.Messages.Select(m => Uid(m.SourceId)).ToList();
        return batch.Messages;
    }

    public async Task CommitAsync(IReadOnlyList<IncomingMessage> messages, CancellationToken ct)
    {
        if (_pending is { } batchCursor)
        {
            // The cursor never passes a fetched message that was not recorded: it is fetched again next time.
            var uids = messages.Select(m => Uid(m.SourceId)).ToList();
            var missed = _fetchedUids.Except(uids).ToList();
            var cursor = missed.Count == 0 ? batchCursor : batchCursor with { LastUid = missed.Min() - 1 };
            await db.WriteAsync(async (c, tx) =>
            {
                await mails.SaveCursorAsync(c, tx, CursorName, cursor.UidValidity, cursor.LastUid);
                return true;
            }, ct);
            if (uids.Count > 0)
            {
                // Flags only while the folder still has the UIDVALIDITY these UIDs belong to.
                await reader.MarkProcessedAsync(cursor.UidValidity, uids, ct);
            }
        }
    }

    private static uint Uid(string sourceId) =>
        uint.Parse(sourceId[(sourceId.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    public async Task WaitAsync(TimeSpan max, CancellationToken ct) => await reader.WaitForNewMailAsync(max, ct);
}
