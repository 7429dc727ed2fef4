using Acme.Server.Lifecycle;
using System.Security.Cryptography;
using Acme.Server.Jws;
using Acme.Server.Protocol;
using Acme.Server.Protocol.Problems;
using Acme.Server.Storage;
using Acme.Server.Hosting;
using Acme.Validation.Codecs;
using Microsoft.Extensions.Options;

namespace Acme.Server.Workflows;

/// <summary>Authorization fetch (which creates token-part1) and client deactivation (RFC 8555 §7.5, §7.5.2).</summary>
public sealed class AuthorizationService(
    Database db, IOrderStore orders, IOutboxStore outbox, IAuditStore audit, StatusPropagator propagator, IOptions<MailOptions> mail,
    Acme.Server.Mail.OutboxWakeup outboxWakeup, TimeProvider time)
{
    /// <summary>
    /// Returns the authorization. The first fetch of a pending one creates token-part1 (RFC 8823 §3
    /// step 4: after the server answered the authorization request), once per authorization.
    /// </summary>
    public async Task<(AuthorizationRow Authorization, IReadOnlyList<ChallengeRow> Challenges)> GetAsync(AccountRow account, string id, CancellationToken ct)
    {
        // One connection for both reads (an authorization fetch or poll is 2.2 of an issuance's requests).
        var (authorization, challenges) = await db.ReadAsync(async c =>
        {
            var found = Owned(account, id, await orders.FindAuthorizationAsync(c, id));
            return (found, await orders.ChallengesOfAuthorizationAsync(c, id));
        }, ct);
        var now = time.GetUtcNow();
        if (ResourceMapper.EffectiveStatus(authorization, now) == AuthorizationStatus.Pending && challenges.Any(h => h.TokenPart1 is null))
        {
            await db.WriteAsync(async (c, tx) =>
            {
                foreach (var challenge in challenges.Where(h => h.TokenPart1 is null))
                {
                    await EnsureTokenPart1Async(c, tx, challenge.Id, authorization, now);
                }

                return true;
            }, ct);
            MailQueued(now);
        }

        return (authorization, challenges);
    }

    /// <summary>
    /// RFC 8823 §3 step 4, SBR 3.2.2.4 items 3 and 5: a fresh token-part1 of 24 CSPRNG bytes (192 bits,
    /// a multiple of 3 so the string and byte joins of the tokens agree, requirements A1). The challenge
    /// mail is queued in the same transaction (an outbox), so it is sent exactly once.
    /// </summary>
    public async Task<bool> EnsureTokenPart1Async(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, string challengeId, AuthorizationRow authorization, DateTimeOffset now)
    {
        if (!await orders.SetTokenPart1Async(c, tx, challengeId, StrictBase64Url.Encode(RandomNumberGenerator.GetBytes(24)), now.ToUnixTimeMilliseconds()))
        {
            return false;
        }

        // SBR 3.2.2.4: the Random Value is usable for 24 hours after creation, and never past the authorization.
        var expires = Math.Min(now.AddHours(24).ToUnixTimeMilliseconds(), authorization.Expires);
        await outbox.InsertAsync(c, tx, new ChallengeMailRow
        {
            Id = ResourceIds.New(now),
            ChallengeId = challengeId,
            AccountId = authorization.AccountId,
            Recipient = authorization.Identifier,
            Status = ChallengeMailStatus.Queued,
            NextAttemptAt = now.Add(mail.Value.FirstSendDelay).ToUnixTimeMilliseconds(),
            ExpiresAt = expires,
            CreatedAt = now.ToUnixTimeMilliseconds(),
        });
        await audit.AppendAsync(c, tx, new AuditEvent("challenge.token-part1-created", "system",
            $"token-part1 created (192 bits), usable until {AcmeTime.Format(expires)}; challenge mail to {authorization.Identifier} queued")
            { AccountId = authorization.AccountId, AuthorizationId = authorization.Id, ChallengeId = challengeId });
        return true;
    }

    /// <summary>After the transaction that queued a challenge mail committed: wake the sender for its due time.</summary>
    public void MailQueued(DateTimeOffset now) => outboxWakeup.Notify(now.Add(mail.Value.FirstSendDelay));

    /// <summary>RFC 8555 §7.5.2: the client may deactivate a pending or valid authorization.</summary>
    public async Task DeactivateAsync(AccountRow account, string id, CancellationToken ct)
    {
        var authorization = await FindOwnedAsync(account, id, ct);
        var current = ResourceMapper.EffectiveStatus(authorization, time.GetUtcNow());
        if (current is not (AuthorizationStatus.Pending or AuthorizationStatus.Valid))
        {
            throw new AcmeProblemException(AcmeProblems.Malformed($"A {StatusText.Of(current)} authorization cannot be deactivated"));
        }

        var changed = await db.TryWriteAsync(async (c, tx) =>
        {
            if (!await orders.DeactivateAuthorizationAsync(c, tx, id, current))
            {
                return false;
            }

            await propagator.InvalidateOrdersAsync(c, tx, id);
            await audit.AppendAsync(c, tx, new AuditEvent("authorization.deactivated", "account:" + authorization.AccountId,
                $"deactivated by the client (was {StatusText.Of(current)})") { AccountId = authorization.AccountId, AuthorizationId = id });
            return true;
        }, ct);
        if (!changed)
        {
            throw new AcmeProblemException(AcmeProblems.ConflictingState("The authorization changed during this request; fetch it and retry"));
        }
    }

    public async Task<AuthorizationRow> FindOwnedAsync(AccountRow account, string id, CancellationToken ct) =>
        Owned(account, id, await db.ReadAsync(c => orders.FindAuthorizationAsync(c, id), ct));

    private static AuthorizationRow Owned(AccountRow account, string id, AuthorizationRow? authorization) =>
        authorization is not null && authorization.AccountId == account.Id
            ? authorization
            : throw new AcmeProblemException(AcmeProblems.NotFound($"No authorization '{id}' for this account"));
}
