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
    /// <summary>Fetches up to <paramref name="max"/> messages, records them; returns how many were new.</summary>
    public async Task<int> RunOnceAsync(int max, CancellationToken ct)
    {
        var fetched = await source.FetchAsync(max, ct);
        var recorded = new List<IncomingMessage>(fetched.Count);
        var added = 0;
        foreach (var message in fetched)
        {
            try
            {
                if (await RecordAsync(message, ct))
                {
                    added++;
                    metrics.ReplyReceived();
                }

                recorded.Add(message);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                LogRecordFailed(log, e, message.SourceId);
            }
        }

        await source.CommitAsync(recorded, ct);

        return added;
    }

    private Task<bool> RecordAsync(IncomingMessage message, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            var row = new InboundReplyRow
            {
                Id = ResourceIds.New(),
                SourceId = message.SourceId,
                RawMessage = message.RawBytes,
                ReceivedAt = message.ReceivedAt.ToUnixTimeMilliseconds(),
                CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
            };
            if (!await mails.TryRecordReplyAsync(c, tx, row))
            {
                return false;
            }

            await audit.AppendAsync(c, tx, new AuditEvent("reply.received", "mailbox",
                $"reply {row.Id} from {message.SourceId}, {message.RawBytes.Length} bytes, received {AcmeTime.Format(message.ReceivedAt)}"));
            return true;
        }, ct);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {SourceId} could not be recorded; it stays at the source and is tried again")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string sourceId);
}
