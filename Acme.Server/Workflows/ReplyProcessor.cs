using Acme.Email.Imap;
using Acme.Email.Incoming;
using Acme.Server.Hosting;
using Acme.Server.Mail;
using Acme.Server.Protocol;
using Acme.Server.Storage;
using Acme.Validation.Identifiers;
using Acme.Validation.Outcomes;
using Acme.Validation.Replies;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Acme.Server.Workflows;

/// <summary>
/// Reply ingestion (RFC 8823 §3 step 6, requirements 1.7): record each raw message first (exactly
/// once per source id), then correlate it with its challenge by the plus-tagged address or
/// In-Reply-To, validate it, and apply the verdict through the lifecycle.
/// </summary>
public sealed partial class ReplyProcessor(
    Database db, MailStore mails, OrderStore orders, AccountStore accounts, AuditStore audit, IReplySource source, ReplyValidator validator,
    ReplyVerdictService verdicts, ChallengeAddressFactory addresses, TimeProvider time, ILogger<ReplyProcessor> log)
{
    private const int BatchSize = 50;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Fetches new mail from the source, records it, and judges every unprocessed reply. Returns how many were judged.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var fetched = await source.FetchAsync(BatchSize, ct);
            foreach (var message in fetched)
            {
                await RecordAsync(message, ct);
            }

            await source.CommitAsync(fetched, ct);

            var judged = 0;
            foreach (var reply in await db.ReadAsync(c => mails.UnprocessedRepliesAsync(c, BatchSize), ct))
            {
                try
                {
                    judged += await JudgeAsync(reply, ct) ? 1 : 0;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A message that breaks our code must not wedge the loop: record it and move on.
                    LogJudgeFailed(log, e, reply.Id);
                    judged += await FinishAsync(reply, null, "error", "processing failed: " + e.GetType().Name, ct) ? 1 : 0;
                }
            }

            return judged;
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task RecordAsync(IncomingMessage message, CancellationToken ct) =>
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
            if (await mails.TryRecordReplyAsync(c, tx, row))
            {
                await audit.AppendAsync(c, tx, new AuditEvent("reply.received", "mailbox",
                    $"reply {row.Id} from {message.SourceId}, {message.RawBytes.Length} bytes, received {AcmeTime.Format(message.ReceivedAt)}"));
            }

            return true;
        }, ct);

    private async Task<bool> JudgeAsync(InboundReplyRow reply, CancellationToken ct)
    {
        MimeMessage message;
        try
        {
            // Parsed from the stored raw bytes: DKIM runs on exactly what arrived (RFC 6376 §3.4).
            message = await MimeMessage.LoadAsync(new MemoryStream(reply.RawMessage, writable: false), ct);
        }
        catch (FormatException e)
        {
            return await FinishAsync(reply, null, "unparseable", e.Message, ct);
        }

        var challenge = await CorrelateAsync(message, ct);
        if (challenge is null)
        {
            return await FinishAsync(reply, null, "uncorrelated", "no challenge matches the To address or In-Reply-To", ct);
        }

        if (challenge.TokenPart1 is null || challenge.TokenPart1CreatedAt is null || challenge.Status is not ("pending" or "processing") || challenge.ReplyVerifiedAt is not null)
        {
            // RFC 8823 §6: the first judged reply consumes the token; later ones are only logged.
            return await FinishAsync(reply, challenge.Id, "ignored", $"the challenge is {challenge.Status} and no longer takes replies", ct);
        }

        var authorization = await db.ReadAsync(c => orders.FindAuthorizationAsync(c, challenge.AuthorizationId), ct);
        var account = authorization is null ? null : await db.ReadAsync(c => accounts.FindAsync(c, authorization.AccountId), ct);
        if (authorization is null || account is null)
        {
            return await FinishAsync(reply, challenge.Id, "ignored", "the challenge's authorization is gone", ct);
        }

        var expectation = new ReplyExpectation(
            MailboxNormalizer.Normalize(authorization.Identifier).Value!, challenge.TokenPart1, challenge.TokenPart2, account.KeyThumbprint,
            DateTimeOffset.FromUnixTimeMilliseconds(challenge.TokenPart1CreatedAt.Value), DateTimeOffset.FromUnixTimeMilliseconds(reply.ReceivedAt));
        var outcome = await validator.ValidateAsync(message, expectation, ct);
        if (!outcome.IsSuccess && outcome.Failure.Kind == FailureKind.Dns && time.GetUtcNow() < expectation.TokenPart1CreatedAt.AddHours(24))
        {
            LogDeferred(log, reply.Id, outcome.Failure.Detail);
            return false; // temporary DNS failure: judged on a later pass, within the token's lifetime
        }

        var result = await verdicts.ApplyAsync(challenge.Id, outcome.IsSuccess ? null : outcome.Failure, reply.Id, ct);
        var detail = outcome.IsSuccess ? $"verified ({SbrMethod.Text}, SBR v{SbrMethod.Version})" : outcome.Failure.Detail;
        return await FinishAsync(reply, challenge.Id, result.ToString(), detail, ct);
    }

    private async Task<ChallengeRow?> CorrelateAsync(MimeMessage message, CancellationToken ct)
    {
        var mailbox = addresses.Mailbox;
        if (ReplyValidator.CorrelationTag(message, mailbox.LocalPart, mailbox.Domain) is { } tag)
        {
            var byAddress = await db.ReadAsync(c => mails.FindChallengeByFromAsync(c, $"{mailbox.LocalPart}+{tag}@{mailbox.Domain}"), ct);
            if (byAddress is not null)
            {
                return byAddress;
            }
        }

        if (ReplyValidator.InReplyTo(message) is { } inReplyTo)
        {
            var mail = await db.ReadAsync(c => mails.FindMailByMessageIdAsync(c, inReplyTo), ct);
            return mail is null ? null : await db.ReadAsync(c => orders.FindChallengeAsync(c, mail.ChallengeId), ct);
        }

        return null;
    }

    private async Task<bool> FinishAsync(InboundReplyRow reply, string? challengeId, string outcome, string detail, CancellationToken ct)
    {
        await db.WriteAsync(async (c, tx) =>
        {
            await mails.MarkReplyProcessedAsync(c, tx, reply.Id, challengeId, outcome, detail, time.GetUtcNow().ToUnixTimeMilliseconds());
            await audit.AppendAsync(c, tx, new AuditEvent("reply.processed", "system", $"reply {reply.Id}: {outcome}: {detail}") { ChallengeId = challengeId });
            return true;
        }, ct);
        LogJudged(log, reply.Id, challengeId ?? "-", outcome, detail);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply {ReplyId} for challenge {ChallengeId}: {Outcome}: {Detail}")]
    private static partial void LogJudged(ILogger logger, string replyId, string challengeId, string outcome, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reply {ReplyId} could not be processed")]
    private static partial void LogJudgeFailed(ILogger logger, Exception exception, string replyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply {ReplyId} deferred: {Detail}")]
    private static partial void LogDeferred(ILogger logger, string replyId, string detail);
}
