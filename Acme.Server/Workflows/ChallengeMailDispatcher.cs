using Acme.Email.Challenges;
using Acme.Email.Dkim;
using Acme.Email.Transport;
using Acme.Server.Hosting;
using Acme.Server.Protocol;
using Acme.Server.Storage;
using Acme.Validation.Outcomes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Acme.Server.Workflows;

/// <summary>
/// Delivers queued challenge mails (RFC 8823 §3 step 4): claim, build, DKIM-sign, send, record the
/// bytes sent as evidence; retry with backoff across restarts; a mail that cannot be delivered before
/// the token expires makes the challenge invalid.
/// </summary>
/// <remarks>
/// Delivery is at most once per claim: a mail is claimed (queued → sending, with a lease) in its own
/// transaction before it is sent, so a second sender cannot take it and a failed write after the send
/// cannot queue it again. One double remains possible: the process dies after the relay accepted the
/// mail and before the sent state is recorded; the lease then runs out and the mail is sent again
/// (docs/guarantees.md). A mail whose handling throws is recorded as failed, its challenge becomes
/// invalid, and the pass goes on with the next one.
/// </remarks>
public sealed partial class ChallengeMailDispatcher(
    Database db, IOutboxStore outbox, IOrderStore orders, ChallengeEmailBuilder builder, DkimMessageSigner signer,
    IChallengeMailTransport transport, ChallengeAddressFactory addresses, ReplyVerdictService verdicts, IAuditStore audit,
    IEnumerable<Acme.Email.Smime.SmimeChallengeSigner> smime, IOptions<MailOptions> options, Mail.MailConnectivity connectivity,
    TimeProvider time, ILogger<ChallengeMailDispatcher> log)
{
    private const int BatchSize = 20;
    private const int ParallelSends = 4;
    private const int MaxBatchesPerPass = 50; // 1,000 mails, then the loop's other work and its stop check
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Sends every due mail once, batch after batch while batches come back full (a backlog drains in one pass, not
    /// one batch per loop interval), at most <see cref="MaxBatchesPerPass"/>; returns how many were delivered.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var delivered = 0;
            for (var batch = 0; batch < MaxBatchesPerPass; batch++)
            {
                var (due, sent) = await RunBatchAsync(ct);
                delivered += sent;
                if (due < BatchSize)
                {
                    break;
                }
            }

            return delivered;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(int Due, int Delivered)> RunBatchAsync(CancellationToken ct)
    {
        var delivered = 0;
        var now = time.GetUtcNow();
        var mail = options.Value;
        var due = await db.ReadAsync(c => mail.SequentialChallengeMails
            ? outbox.DueInOrderAsync(c, now.ToUnixTimeMilliseconds(), (long)mail.SequentialSendDelay.TotalMilliseconds, BatchSize)
            : outbox.DueAsync(c, now.ToUnixTimeMilliseconds(), BatchSize), ct);
        if (mail.SequentialChallengeMails)
        {
            // One at a time, in authorization order (Mail:SequentialChallengeMails).
            foreach (var claimable in due)
            {
                delivered += await HandleAsync(claimable, now, ct) ? 1 : 0;
            }
        }
        else
        {
            // Independent mails go out side by side: the claim and sent-record commits (a log sync each)
            // and the relay's answers overlap instead of queueing behind each other.
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = ParallelSends, CancellationToken = ct },
                async (claimable, token) =>
                {
                    if (await HandleAsync(claimable, now, token))
                    {
                        Interlocked.Increment(ref delivered);
                    }
                });
        }

        return (due.Count, delivered);
    }

    /// <summary>Claims one due mail and sends it; false when another sender has it or it was not delivered now.</summary>
    private async Task<bool> HandleAsync(ChallengeMailRow claimable, DateTimeOffset now, CancellationToken ct)
    {
        var claimed = await db.WriteAsync((c, tx) => outbox.TryClaimAsync(
            c, tx, claimable.Id, now.ToUnixTimeMilliseconds(), now.Add(options.Value.SendLease).ToUnixTimeMilliseconds()), ct);
        if (claimed is null)
        {
            return false; // another sender has it
        }

        try
        {
            return await WhileClaimedAsync(claimed, () => SendOneAsync(claimed, now, ct), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await PoisonAsync(claimed, e, ct);
            return false;
        }
    }

    /// <summary>
    /// Runs the send while renewing the claim's lease every third of <c>Mail:SendLease</c>: a live sender keeps
    /// its mail however long the relay takes, a dead one (killed) lets another instance take it over within one lease.
    /// </summary>
    private async Task<T> WhileClaimedAsync<T>(ChallengeMailRow mail, Func<Task<T>> send, CancellationToken ct)
    {
        var lease = options.Value.SendLease;
        // Disposing the timer ends the keeper's wait with false: no cancellation, so no exception per mail sent
        // (one OperationCanceledException per issuance under load, issue 13).
        var timer = new PeriodicTimer(lease / 3, time);
        var keeper = KeepClaimAsync(mail, timer, lease, ct);
        try
        {
            return await send();
        }
        finally
        {
            timer.Dispose();
            await keeper;
        }
    }

    private async Task KeepClaimAsync(ChallengeMailRow mail, PeriodicTimer timer, TimeSpan lease, CancellationToken ct)
    {
        while (await timer.WaitForNextTickAsync(CancellationToken.None))
        {
            var until = time.GetUtcNow().Add(lease).ToUnixTimeMilliseconds();
            try
            {
                await db.WriteAsync((c, tx) => outbox.RenewClaimAsync(c, tx, mail.Id, mail.Attempts, until), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return; // shutting down: the send is being cancelled too
            }
            catch (Exception e)
            {
                LogRenewFailed(log, e, mail.ChallengeId); // tried again at the next tick; the send goes on
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The claim on the challenge mail for {ChallengeId} could not be renewed")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string challengeId);

    private async Task<bool> SendOneAsync(ChallengeMailRow mail, DateTimeOffset now, CancellationToken ct)
    {
        var challenge = await db.ReadAsync(c => orders.FindChallengeAsync(c, mail.ChallengeId), ct);
        if (challenge?.TokenPart1 is null || challenge.Status is not (ChallengeStatus.Pending or ChallengeStatus.Processing))
        {
            await db.WriteAsync((c, tx) => outbox.MarkFailedAsync(c, tx, mail.Id, mail.Attempts, "the challenge no longer waits for a reply"), ct);
            return false;
        }

        if (now.ToUnixTimeMilliseconds() >= mail.ExpiresAt)
        {
            await FailAsync(mail, new ValidationFailure(FailureKind.Connection,
                $"the challenge mail could not be delivered before the token expired ({mail.LastError ?? "no attempt succeeded"})"), ct);
            return false;
        }

        var message = builder.Build(new ChallengeMailRequest(
            From: challenge.FromAddress, To: mail.Recipient, TokenPart1: challenge.TokenPart1, MessageIdDomain: addresses.Mailbox.Domain, Date: now));
        foreach (var smimeSigner in smime)
        {
            await smimeSigner.SignAsync(message, ct); // RFC 8823 §3.1 items 6-7: optional S/MIME, with header protection
        }

        signer.Sign(message); // RFC 8823 §3.1 item 6: DKIM with d= the From domain
        var result = await transport.SendAsync(message, ct);
        if (result.Outcome == MailSendOutcome.RetryLater)
        {
            connectivity.Smtp.Failed(result.Detail ?? "temporary failure");
        }
        else
        {
            connectivity.Smtp.Succeeded(); // delivered, or refused by a server that answered
        }

        switch (result.Outcome)
        {
            case MailSendOutcome.Delivered:
                await RecordSentAsync(mail, message, now, ct);
                return true;
            case MailSendOutcome.Rejected:
                await FailAsync(mail, new ValidationFailure(FailureKind.Connection, $"the mail system refused the challenge mail to {mail.Recipient}: {result.Detail}"), ct);
                return false;
            default:
                var next = now.Add(RetryPolicy.NextDelay((int)mail.Attempts));
                await db.WriteAsync(async (c, tx) =>
                {
                    await outbox.ScheduleRetryAsync(c, tx, mail.Id, mail.Attempts, next.ToUnixTimeMilliseconds(), result.Detail ?? "temporary failure");
                    await audit.AppendAsync(c, tx, new AuditEvent("challenge.mail-deferred", "system",
                        $"attempt {mail.Attempts} to {mail.Recipient} failed: {result.Detail}; next at {AcmeTime.Format(next)}") { AccountId = mail.AccountId, ChallengeId = mail.ChallengeId });
                    return true;
                }, ct);
                LogRetry(log, mail.ChallengeId, mail.Attempts, result.Detail ?? "temporary failure", AcmeTime.Format(next));
                return false;
        }
    }

    private async Task RecordSentAsync(ChallengeMailRow mail, MimeMessage message, DateTimeOffset now, CancellationToken ct)
    {
        var raw = Serialize(message);
        // The relay has the mail: record it even if the caller gives up now, or it would be sent again.
        await db.WriteAsync(async (c, tx) =>
        {
            if (await outbox.MarkSentAsync(c, tx, mail.Id, mail.Attempts, message.MessageId ?? string.Empty, raw, now.ToUnixTimeMilliseconds()))
            {
                await audit.AppendAsync(c, tx, new AuditEvent("challenge.mail-sent", "system",
                    $"challenge mail to {mail.Recipient}, Message-ID {message.MessageId}, attempt {mail.Attempts}, {raw.Length} bytes kept as evidence")
                    { AccountId = mail.AccountId, ChallengeId = mail.ChallengeId });
            }

            return true;
        }, CancellationToken.None);
        LogSent(log, mail.ChallengeId, mail.Recipient, message.MessageId ?? "-", mail.Attempts);
    }

    /// <summary>A mail whose handling threw: recorded as failed with the reason, audited, its challenge invalid.</summary>
    private async Task PoisonAsync(ChallengeMailRow mail, Exception e, CancellationToken ct)
    {
        LogPoisoned(log, e, mail.ChallengeId, mail.Recipient);
        var failure = e is ArgumentException or FormatException or ParseException or InvalidOperationException
            ? new ValidationFailure(FailureKind.RejectedIdentifier, $"the challenge mail to {mail.Recipient} could not be built: {e.Message}")
            : new ValidationFailure(FailureKind.ServerInternal, $"the server could not send the challenge mail to {mail.Recipient} ({e.GetType().Name}); place a new order");
        try
        {
            await FailAsync(mail, failure, ct);
        }
        catch (Exception inner) when (inner is not OperationCanceledException)
        {
            // Recording failed too (database down?): the claim's lease runs out and the mail is tried again.
            LogPoisonNotRecorded(log, inner, mail.ChallengeId);
        }
    }

    private async Task FailAsync(ChallengeMailRow mail, ValidationFailure failure, CancellationToken ct)
    {
        await db.WriteAsync(async (c, tx) =>
        {
            await outbox.MarkFailedAsync(c, tx, mail.Id, mail.Attempts, failure.Detail);
            await audit.AppendAsync(c, tx, new AuditEvent("challenge.mail-failed", "system", failure.Detail) { AccountId = mail.AccountId, ChallengeId = mail.ChallengeId });
            return true;
        }, ct);
        await verdicts.ApplyAsync(mail.ChallengeId, failure with { Identifier = mail.Recipient }, ct);
        LogFailed(log, mail.ChallengeId, failure.Detail);
    }

    private static byte[] Serialize(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(WireFormat.For(message), stream);
        return stream.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Challenge mail for {ChallengeId} sent to {Recipient} as {MessageId} (attempt {Attempt})")]
    private static partial void LogSent(ILogger logger, string challengeId, string recipient, string messageId, long attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Challenge mail for {ChallengeId} attempt {Attempt} failed: {Reason}; retry at {Next}")]
    private static partial void LogRetry(ILogger logger, string challengeId, long attempt, string reason, string next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Challenge mail for {ChallengeId} given up: {Reason}")]
    private static partial void LogFailed(ILogger logger, string challengeId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Challenge mail for {ChallengeId} to {Recipient} could not be handled; recorded as failed")]
    private static partial void LogPoisoned(ILogger logger, Exception exception, string challengeId, string recipient);

    [LoggerMessage(Level = LogLevel.Error, Message = "Challenge mail for {ChallengeId}: the failure could not be recorded; it is retried when its lease runs out")]
    private static partial void LogPoisonNotRecorded(ILogger logger, Exception exception, string challengeId);
}
