using Acme.Email.Challenges;
using Acme.Email.Dkim;
using Acme.Email.Transport;
using Acme.Server.Protocol;
using Acme.Server.Storage;
using Acme.Validation.Outcomes;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Acme.Server.Workflows;

/// <summary>
/// Delivers queued challenge mails (RFC 8823 §3 step 4): build, DKIM-sign, send, record the bytes
/// sent as evidence; retry with backoff across restarts; a mail that cannot be delivered before the
/// token expires makes the challenge invalid. One pass at a time.
/// </summary>
public sealed partial class ChallengeMailDispatcher(
    Database db, MailStore mails, OrderStore orders, ChallengeEmailBuilder builder, DkimMessageSigner signer,
    IChallengeMailTransport transport, ChallengeAddressFactory addresses, ReplyVerdictService verdicts, AuditStore audit,
    IEnumerable<Acme.Email.Smime.SmimeChallengeSigner> smime,
    TimeProvider time, ILogger<ChallengeMailDispatcher> log)
{
    private const int BatchSize = 20;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Sends every due mail once; returns how many were delivered.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var delivered = 0;
            var now = time.GetUtcNow();
            foreach (var mail in await db.ReadAsync(c => mails.DueMailsAsync(c, now.ToUnixTimeMilliseconds(), BatchSize), ct))
            {
                delivered += await SendOneAsync(mail, now, ct) ? 1 : 0;
            }

            return delivered;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> SendOneAsync(ChallengeMailRow mail, DateTimeOffset now, CancellationToken ct)
    {
        var challenge = await db.ReadAsync(c => orders.FindChallengeAsync(c, mail.ChallengeId), ct);
        var attempts = mail.Attempts + 1;
        if (challenge?.TokenPart1 is null || challenge.Status is not ("pending" or "processing"))
        {
            await db.WriteAsync((c, tx) => mails.MarkFailedAsync(c, tx, mail.Id, attempts, "the challenge no longer waits for a reply"), ct);
            return false;
        }

        if (now.ToUnixTimeMilliseconds() >= mail.ExpiresAt)
        {
            await FailAsync(mail, attempts, $"the challenge mail could not be delivered before the token expired ({mail.LastError ?? "no attempt succeeded"})", ct);
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
        switch (result.Outcome)
        {
            case MailSendOutcome.Delivered:
                var raw = Serialize(message);
                await db.WriteAsync(async (c, tx) =>
                {
                    if (await mails.MarkSentAsync(c, tx, mail.Id, attempts, message.MessageId ?? string.Empty, raw, now.ToUnixTimeMilliseconds()))
                    {
                        await audit.AppendAsync(c, tx, new AuditEvent("challenge.mail-sent", "system",
                            $"challenge mail to {mail.Recipient}, Message-ID {message.MessageId}, attempt {attempts}, {raw.Length} bytes kept as evidence")
                            { AccountId = mail.AccountId, ChallengeId = mail.ChallengeId });
                    }

                    return true;
                }, ct);
                LogSent(log, mail.ChallengeId, mail.Recipient, message.MessageId ?? "-", attempts);
                return true;
            case MailSendOutcome.Rejected:
                await FailAsync(mail, attempts, $"the mail system refused the challenge mail to {mail.Recipient}: {result.Detail}", ct);
                return false;
            default:
                var next = now.Add(RetryPolicy.NextDelay((int)attempts));
                await db.WriteAsync(async (c, tx) =>
                {
                    await mails.ScheduleRetryAsync(c, tx, mail.Id, attempts, next.ToUnixTimeMilliseconds(), result.Detail ?? "temporary failure");
                    await audit.AppendAsync(c, tx, new AuditEvent("challenge.mail-deferred", "system",
                        $"attempt {attempts} to {mail.Recipient} failed: {result.Detail}; next at {AcmeTime.Format(next)}") { AccountId = mail.AccountId, ChallengeId = mail.ChallengeId });
                    return true;
                }, ct);
                LogRetry(log, mail.ChallengeId, attempts, result.Detail ?? "temporary failure", AcmeTime.Format(next));
                return false;
        }
    }

    private async Task FailAsync(ChallengeMailRow mail, long attempts, string reason, CancellationToken ct)
    {
        await db.WriteAsync(async (c, tx) =>
        {
            await mails.MarkFailedAsync(c, tx, mail.Id, attempts, reason);
            await audit.AppendAsync(c, tx, new AuditEvent("challenge.mail-failed", "system", reason) { AccountId = mail.AccountId, ChallengeId = mail.ChallengeId });
            return true;
        }, ct);
        await verdicts.ApplyAsync(mail.ChallengeId, new ValidationFailure(FailureKind.Connection, reason) { Identifier = mail.Recipient }, ct);
        LogFailed(log, mail.ChallengeId, reason);
    }

    private static byte[] Serialize(MimeMessage message)
    {
        using var stream = new MemoryStream();
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(format, stream);
        return stream.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Challenge mail for {ChallengeId} sent to {Recipient} as {MessageId} (attempt {Attempt})")]
    private static partial void LogSent(ILogger logger, string challengeId, string recipient, string messageId, long attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Challenge mail for {ChallengeId} attempt {Attempt} failed: {Reason}; retry at {Next}")]
    private static partial void LogRetry(ILogger logger, string challengeId, long attempt, string reason, string next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Challenge mail for {ChallengeId} given up: {Reason}")]
    private static partial void LogFailed(ILogger logger, string challengeId, string reason);
}
