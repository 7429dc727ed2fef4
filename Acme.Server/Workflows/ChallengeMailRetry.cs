using Acme.Server.Lifecycle;
using Acme.Server.Protocol;
using Acme.Server.Storage;

namespace Acme.Server.Workflows;

/// <summary>
/// The operator puts a failed challenge mail back in the outbox (failed → queued), only while it can still
/// serve: its challenge waits for a reply, its authorization is pending, and its token has not expired
/// (SBR 3.2.2.4: the Random Value is usable for 24 hours; RFC 8823 §3 step 4).
/// </summary>
public sealed class ChallengeMailRetry(Database db, IOutboxStore outbox, IOrderStore orders, IAuditStore audit, TimeProvider time)
{
    public async Task<MailRetryResult> RetryAsync(string mailId, string actor, CancellationToken ct)
    {
        var detail = "";
        var requeued = await db.TryWriteAsync(async (c, tx) =>
        {
            var now = time.GetUtcNow();
            var mail = await outbox.FindAsync(c, mailId);
            var challenge = mail is null ? null : await orders.FindChallengeAsync(c, mail.ChallengeId, tx);
            var authorization = challenge is null ? null : await orders.FindAuthorizationAsync(c, challenge.AuthorizationId, tx);
            detail = Refusal(mail, challenge, authorization, now) ?? "";
            if (detail.Length > 0 || !await outbox.RequeueFailedAsync(c, tx, mailId, now.ToUnixTimeMilliseconds()))
            {
                detail = detail.Length > 0 ? detail : "the mail changed meanwhile; look again";
                return false;
            }

            detail = $"queued again for {mail!.Recipient}; its token is usable until {AcmeTime.Format(mail.ExpiresAt)}";
            await audit.AppendAsync(c, tx, new AuditEvent("challenge.mail-requeued", actor, $"failed mail put back in the queue by the operator (last error: {mail.LastError ?? "-"})")
            { AccountId = mail.AccountId, AuthorizationId = challenge!.AuthorizationId, ChallengeId = mail.ChallengeId });
            return true;
        }, ct);
        return new MailRetryResult(requeued, detail);
    }

    private static string? Refusal(ChallengeMailRow? mail, ChallengeRow? challenge, AuthorizationRow? authorization, DateTimeOffset now)
    {
        if (mail is null)
        {
            return "no challenge mail with that id";
        }

        if (mail.Status != ChallengeMailStatus.Failed)
        {
            return $"the mail is {StatusText.Of(mail.Status)}, not failed; only a failed mail is retried";
        }

        if (challenge is null || challenge.Status is not (ChallengeStatus.Pending or ChallengeStatus.Processing))
        {
            return $"its challenge is {(challenge is null ? "gone" : StatusText.Of(challenge.Status))}, no longer waiting for a reply; the client must place a new order";
        }

        // SBR 3.2.2.4: the Random Value is not used past its 24 hours.
        if (now.ToUnixTimeMilliseconds() >= mail.ExpiresAt)
        {
            return $"its token expired at {AcmeTime.Format(mail.ExpiresAt)}; the client must place a new order";
        }

        if (authorization is null || ResourceMapper.EffectiveStatus(authorization, now) != AuthorizationStatus.Pending)
        {
            return $"its authorization is {(authorization is null ? "gone" : StatusText.Of(ResourceMapper.EffectiveStatus(authorization, now)))}; the client must place a new order";
        }

        return null;
    }
}
