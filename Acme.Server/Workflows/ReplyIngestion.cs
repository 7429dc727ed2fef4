using Acme.Email.Incoming;
using Acme.Server.Hosting;
using Acme.Server.Mail;
using Acme.Server.Protocol;
using Acme.Server.Storage;
using Microsoft.Extensions.Logging;

namespace Acme.Server.Workflows;

/// <summary>
/// Moves new mail from the reply source into the database: each raw message recorded exactly once
/// per source id, and only recorded messages are committed at the source (flagged, moved, cursor
/// advanced), so a message that cannot be recorded stays where it is and is tried again, and the
/// others go on.
/// </summary>
public sealed partial class ReplyIngestion(Database db, IMailStore mails, IAuditStore audit, IReplySource source, Observability.AcmeMetrics metrics, TimeProvider time, ILogger<ReplyIngestion> log)
{
    /// <summary>True (once) when the source saw new mail since it last said so, without asking a server (a watched folder).</summary>
    public bool ArrivalsPending() => source.TryTakeArrivals();

    /// <summary>Fetches up to <paramref name="max"/> messages, records them; returns how many were new.</summary>
    public async Task<int> RunOnceAsync(int max, CancellationToken ct)
    {
        var fetched = await source.FetchAsync(max, ct);
        if (fetched.Count == 0)
        {
            return 0;
        }

        // The whole batch in one transaction (one sync of the log for every reply that arrived together); if
        // that fails, each message on its own, so one that cannot be recorded does not hold back the others.
        var recorded = new List<IncomingMessage>(fetched.Count);
        var added = 0;
        try
        {
            var fresh = await db.WriteAsync(async (c, tx) =>
            {
                var count = 0;
                foreach (var message in fetched)
                {
                    count += await RecordAsync(c, tx, message) ? 1 : 0;
                }

                return count;
            }, ct);
            recorded.AddRange(fetched);
            added = fresh;
        }
        catch (Exception e) when (fetched.Count > 1 && (e is not OperationCanceledException || !ct.IsCancellationRequested))
        {
            LogBatchFailed(log, e, fetched.Count);
            foreach (var message in fetched)
            {
                try
                {
                    added += await db.WriteAsync((c, tx) => RecordAsync(c, tx, message), ct) ? 1 : 0;
                    recorded.Add(message);
                }
                catch (Exception one) when (one is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    LogRecordFailed(log, one, message.SourceId);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogRecordFailed(log, e, fetched[0].SourceId);
        }

        for (var i = 0; i < added; i++)
        {
            metrics.ReplyReceived();
        }

        await source.CommitAsync(recorded, ct);
        return added;
    }

    private async Task<bool> RecordAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, IncomingMessage message)
    {
        var now = time.GetUtcNow();
        var row = new InboundReplyRow
        {
            Id = ResourceIds.New(now),
            SourceId = message.SourceId,
            RawMessage = message.RawBytes,
            ReceivedAt = message.ReceivedAt.ToUnixTimeMilliseconds(),
            CreatedAt = now.ToUnixTimeMilliseconds(),
        };
        if (!await mails.TryRecordReplyAsync(c, tx, row))
        {
            return false;
        }

        await audit.AppendAsync(c, tx, new AuditEvent("reply.received", "mailbox",
            $"reply {row.Id} from {message.SourceId}, {message.RawBytes.Length} bytes, received {AcmeTime.Format(message.ReceivedAt)}"));
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Count} new messages could not be recorded together; recording them one by one")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {SourceId} could not be recorded; it stays at the source and is tried again")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string sourceId);
}
