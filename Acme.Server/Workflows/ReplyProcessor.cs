using Acme.Server.Protocol;
using Acme.Server.Hosting;
using Acme.Server.Storage;
using Acme.Validation.Identifiers;
using Acme.Validation.Outcomes;
using Acme.Validation.Replies;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Acme.Server.Workflows;

/// <summary>
/// Reply judging (RFC 8823 §3 step 6, requirements 1.7): takes the recorded replies that are due,
/// correlates each with its challenge by the plus-tagged address or In-Reply-To, validates it, and
/// applies the verdict through the lifecycle.
/// </summary>
/// <remarks>
/// Every reply has its own schedule: one that cannot be judged yet (its DKIM key lookup failed
/// temporarily) is deferred with exponential backoff until its Random Value expires, and newer
/// replies go first. A pass judges its batch concurrently and stops waiting for DNS after
/// <see cref="MailOptions.ReplyDnsBudgetPerPass"/>; replies it did not finish are deferred. A reply
/// whose handling throws is recorded as failed with the reason, and the pass goes on.
/// </remarks>
public sealed partial class ReplyProcessor(
    Database db, IMailStore mails, IOrderStore orders, IOutboxStore outbox, IAuditStore audit, ReplyIngestion ingestion,
    ReplyValidator validator, ReplyVerdictService verdicts, ChallengeAddressFactory addresses, IOptions<MailOptions> options, Observability.AcmeMetrics metrics,
    TimeProvider time, ILogger<ReplyProcessor> log)
{
    private const int BatchSize = 50;
    private const int Parallelism = 8;
    private const int MaxPerPass = 500;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromHours(1);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Records new mail from the source and judges the due replies; returns how many were judged. Mail that arrives
    /// while the pass is judging is recorded and started as soon as one judgment ends, instead of waiting for the
    /// whole batch and the next pass (the reply's latency under load, issue 13). A pass starts at most
    /// <see cref="MaxPerPass"/> judgments and no new ones once its DNS time is spent.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            using var budget = new CancellationTokenSource(options.Value.ReplyDnsBudgetPerPass, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, budget.Token);
            using var slots = new SemaphoreSlim(Parallelism);
            var started = new HashSet<string>(StringComparer.Ordinal);
            var running = new List<Task<bool>>();
            var judged = 0;
            var fetch = true;
            try
            {
                while (true)
                {
                    if (fetch && started.Count < MaxPerPass && !budget.IsCancellationRequested)
                    {
                        await ingestion.RunOnceAsync(BatchSize, ct);
                        // The replies being judged are still due: ask for that many more, and start only the new ones.
                        var due = await db.ReadAsync(c => mails.DueRepliesAsync(c, time.GetUtcNow().ToUnixTimeMilliseconds(), BatchSize + running.Count), ct);
                        running.AddRange(due.Where(r => started.Add(r.Id)).Select(r => JudgeInSlotAsync(r, slots, linked.Token, ct)));
                    }

                    if (running.Count == 0)
                    {
                        return judged;
                    }

                    var done = await Task.WhenAny(running);
                    running.Remove(done);
                    judged += await done ? 1 : 0;
                    fetch = ingestion.ArrivalsPending();
                }
            }
            finally
            {
                // A pass that ends by an exception (stopping, the database gone) still waits for the judgments it
                // started: they use its slots and its DNS budget, and each records its own outcome.
                await ((Task)Task.WhenAll(running)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> JudgeInSlotAsync(InboundReplyRow reply, SemaphoreSlim slots, CancellationToken lookup, CancellationToken ct)
    {
        await slots.WaitAsync(ct);
        try
        {
            return await JudgeSafelyAsync(reply, lookup, ct);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<bool> JudgeSafelyAsync(InboundReplyRow reply, CancellationToken lookup, CancellationToken ct)
    {
        try
        {
            return await JudgeAsync(reply, lookup, ct);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await DeferAsync(reply, "this pass's DNS time ran out before the reply's DKIM keys were found", ct);
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A message that breaks our code must not wedge the loop: record it and move on.
            LogJudgeFailed(log, e, reply.Id);
            try
            {
                return await FinishAsync(reply, null, "error", $"processing failed: {e.GetType().Name}: {e.Message}", ct);
            }
            catch (Exception inner) when (inner is not OperationCanceledException)
            {
                LogNotRecorded(log, inner, reply.Id);
                return false;
            }
        }
    }

    private async Task<bool> JudgeAsync(InboundReplyRow reply, CancellationToken lookup, CancellationToken ct)
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

        if (challenge.TokenPart1 is null || challenge.TokenPart1CreatedAt is null || challenge.Status is not (ChallengeStatus.Pending or ChallengeStatus.Processing) || challenge.ReplyVerifiedAt is not null)
        {
            // RFC 8823 §6: the first judged reply consumes the token; later ones are only logged.
            return await FinishAsync(reply, challenge.Id, "ignored", $"the challenge is {StatusText.Of(challenge.Status)} and no longer takes replies", ct);
        }

        // The mailbox and the account key the reply must prove, in one read (issue 13: two reads per reply before).
        if (await db.ReadAsync(c => orders.FindMailboxAndAccountKeyAsync(c, challenge.AuthorizationId), ct) is not { } expected)
        {
            return await FinishAsync(reply, challenge.Id, "ignored", "the challenge's authorization is gone", ct);
        }

        var identifier = MailboxNormalizer.Normalize(expected.Identifier);
        var tokenCreated = DateTimeOffset.FromUnixTimeMilliseconds(challenge.TokenPart1CreatedAt.Value);
        var outcome = identifier.IsSuccess
            ? await validator.ValidateAsync(message, new ReplyExpectation(identifier.Value!, challenge.TokenPart1, challenge.TokenPart2, expected.KeyThumbprint,
                tokenCreated, DateTimeOffset.FromUnixTimeMilliseconds(reply.ReceivedAt)), lookup)
            : identifier.Failure!;
        if (!outcome.IsSuccess && outcome.Failure.Kind == FailureKind.Dns && time.GetUtcNow() < tokenCreated.Add(ReplyValidator.MaximumReplyDelay))
        {
            // A temporary DNS failure: judged again later, within the Random Value's lifetime (SBR 3.2.2.4).
            await DeferAsync(reply, outcome.Failure.Detail, ct, tokenCreated.Add(ReplyValidator.MaximumReplyDelay));
            return false;
        }

        // The verdict and the reply's own record commit together: one transaction, one sync of the log.
        var detail = outcome.IsSuccess ? $"verified ({SbrMethod.Text}, SBR v{SbrMethod.Version})" : outcome.Failure.Detail;
        var result = await verdicts.ApplyAsync(challenge.Id, outcome.IsSuccess ? null : outcome.Failure, reply.Id,
            (c, tx, applied) => RecordProcessedAsync(c, tx, reply, challenge.Id, applied.ToString(), detail), ct);
        Finished(reply, challenge.Id, result.ToString(), detail);
        return true;
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
            var mail = await db.ReadAsync(c => outbox.FindByMessageIdAsync(c, inReplyTo), ct);
            return mail is null ? null : await db.ReadAsync(c => orders.FindChallengeAsync(c, mail.ChallengeId), ct);
        }

        return null;
    }

    /// <summary>Puts the reply back: attempt counted, next try after an exponential backoff, never past <paramref name="deadline"/>.</summary>
    private async Task DeferAsync(InboundReplyRow reply, string reason, CancellationToken ct, DateTimeOffset? deadline = null)
    {
        var attempts = reply.Attempts + 1;
        var delay = TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, FirstRetry.Ticks << (int)Math.Min(attempts - 1, 20)));
        var next = time.GetUtcNow().Add(delay);
        if (deadline is { } last && next > last)
        {
            next = last; // one last attempt when the Random Value expires; then the failure is final
        }

        await db.WriteAsync((c, tx) => mails.DeferReplyAsync(c, tx, reply.Id, attempts, next.ToUnixTimeMilliseconds(), reason), ct);
        LogDeferred(log, reply.Id, attempts, reason, next);
    }

    private async Task<bool> FinishAsync(InboundReplyRow reply, string? challengeId, string outcome, string detail, CancellationToken ct)
    {
        await db.WriteAsync(async (c, tx) =>
        {
            await RecordProcessedAsync(c, tx, reply, challengeId, outcome, detail);
            return true;
        }, ct);
        Finished(reply, challengeId, outcome, detail);
        return true;
    }

    private async Task RecordProcessedAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, InboundReplyRow reply, string? challengeId, string outcome, string detail)
    {
        await mails.MarkReplyProcessedAsync(c, tx, reply.Id, challengeId, outcome, detail, time.GetUtcNow().ToUnixTimeMilliseconds());
        await audit.AppendAsync(c, tx, new AuditEvent("reply.processed", "system", $"reply {reply.Id}: {outcome}: {detail}") { ChallengeId = challengeId });
    }

    private void Finished(InboundReplyRow reply, string? challengeId, string outcome, string detail)
    {
        LogJudged(log, reply.Id, challengeId ?? "-", outcome, detail);
        metrics.ReplyJudged(outcome, time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(reply.ReceivedAt));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply {ReplyId} for challenge {ChallengeId}: {Outcome}: {Detail}")]
    private static partial void LogJudged(ILogger logger, string replyId, string challengeId, string outcome, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reply {ReplyId} could not be processed; recorded as failed")]
    private static partial void LogJudgeFailed(ILogger logger, Exception exception, string replyId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reply {ReplyId}: the failure could not be recorded; it is tried again")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string replyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply {ReplyId} deferred (attempt {Attempt}): {Detail}; next at {Next}")]
    private static partial void LogDeferred(ILogger logger, string replyId, long attempt, string detail, DateTimeOffset next);
}
