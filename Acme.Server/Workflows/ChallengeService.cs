using Acme.Server.Jws;
using Acme.Server.Lifecycle;
using Acme.Server.Protocol;
using Acme.Server.Protocol.Problems;
using Acme.Server.Storage;

namespace Acme.Server.Workflows;

/// <summary>The client's challenge POST (RFC 8555 §7.5.1) for email-reply-00 (RFC 8823 §3 step 7).</summary>
public sealed class ChallengeService(Database db, IOrderStore orders, AuthorizationService authorizations, StatusPropagator propagator, IAuditStore audit, TimeProvider time)
{
    /// <summary>The challenge and its authorization (which names the identifier type the challenge is shown with).</summary>
    public async Task<(ChallengeRow Challenge, AuthorizationRow Authorization)> GetAsync(AccountRow account, string id, CancellationToken ct)
    {
        var challenge = await db.ReadAsync(c => orders.FindChallengeAsync(c, id), ct)
            ?? throw new AcmeProblemException(AcmeProblems.NotFound($"No challenge '{id}'"));
        return (challenge, await authorizations.FindOwnedAsync(account, challenge.AuthorizationId, ct));
    }

    /// <summary>
    /// The client says it is ready. With a verified reply already stored the challenge becomes valid;
    /// otherwise it waits in <c>processing</c> for the reply. Re-POSTs change nothing.
    /// </summary>
    public async Task<(ChallengeRow Challenge, AuthorizationRow Authorization)> RespondAsync(AccountRow account, string id, CancellationToken ct)
    {
        var (challenge, authorization) = await GetAsync(account, id, ct);
        var now = time.GetUtcNow();
        var current = challenge.Status;
        var next = ChallengeDecisions.OnClientResponse(current, challenge.ReplyVerifiedAt is not null);
        if (next is null)
        {
            return (challenge, authorization);
        }

        if (ResourceMapper.EffectiveStatus(authorization, now) != AuthorizationStatus.Pending)
        {
            throw new AcmeProblemException(AcmeProblems.Malformed(
                $"The authorization is {StatusText.Of(ResourceMapper.EffectiveStatus(authorization, now))}; its challenge can no longer be answered"));
        }

        var queued = false;
        ChallengeRow? written = null;
        await db.WriteAsync(async (c, tx) =>
        {
            // RFC 8823 §3, requirements 1.8: if the authorization was never fetched, token-part1 is created now (the
            // conditional update also covers one created since the read; a token already read needs no write).
            queued = challenge.TokenPart1 is null && await authorizations.EnsureTokenPart1Async(c, tx, id, authorization, now);
            var at = now.ToUnixTimeMilliseconds();
            // Decide again inside the write transaction: a reply verdict may have been stored since the read
            // above (otherwise the challenge would go to processing with its verified reply never applied).
            var fresh = await orders.FindChallengeAsync(c, id, tx) ?? challenge;
            written = fresh;
            current = fresh.Status;
            next = ChallengeDecisions.OnClientResponse(current, fresh.ReplyVerifiedAt is not null);
            if (next is null)
            {
                return false;
            }

            var changed = await orders.RecordClientResponseAsync(c, tx, id, current, next.Value, at);
            if (changed && next == ChallengeStatus.Valid)
            {
                await propagator.ChallengeValidAsync(c, tx, challenge.AuthorizationId, now);
            }

            if (changed)
            {
                await audit.AppendAsync(c, tx, new AuditEvent("challenge.client-responded", "account:" + authorization.AccountId,
                    $"client POST to the challenge; status {StatusText.Of(next.Value)}") { AccountId = authorization.AccountId, AuthorizationId = authorization.Id, ChallengeId = id });
                // The challenge as this transaction leaves it, read in it: no read transaction of its own afterwards.
                written = await orders.FindChallengeAsync(c, id, tx) ?? fresh;
            }

            return changed;
        }, ct);
        if (queued)
        {
            authorizations.MailQueued(now);
        }

        return (written ?? challenge, authorization);
    }
}
