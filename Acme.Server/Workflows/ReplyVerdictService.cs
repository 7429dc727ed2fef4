using System.Data.Common;
using Acme.Server.Lifecycle;
using Acme.Server.Protocol;
using Acme.Server.Protocol.Problems;
using Acme.Server.Storage;
using Acme.Validation.Outcomes;
using Acme.Validation.Replies;
using Microsoft.Extensions.Logging;

namespace Acme.Server.Workflows;

/// <summary>The outcome of applying a reply verdict to a challenge.</summary>
public enum VerdictResult
{
    /// <summary>A verified reply is stored; the challenge waits for the client's POST.</summary>
    StoredAwaitingClient,

    /// <summary>The challenge became valid.</summary>
    Valid,

    /// <summary>The challenge became invalid.</summary>
    Invalid,

    /// <summary>The challenge had already been judged: the first judged reply consumed the token.</summary>
    Ignored,

    /// <summary>No such challenge.</summary>
    UnknownChallenge,

    /// <summary>A verified reply came after the authorization expired or was deactivated; nothing changed.</summary>
    AuthorizationClosed,
}

/// <summary>
/// The lifecycle path that reply handling drives: a judged reply (null failure = verified) moves the
/// challenge, its authorization and orders (RFC 8823 §3 steps 6-8; requirements 1.7 steps 9-10).
/// </summary>
public sealed partial class ReplyVerdictService(Database db, IOrderStore orders, StatusPropagator propagator, IAuditStore audit, Observability.AcmeMetrics metrics, TimeProvider time, ILogger<ReplyVerdictService> log)
{
    public async Task<VerdictResult> ApplyAsync(string challengeId, ValidationFailure? failure, CancellationToken ct) =>
        await ApplyAsync(challengeId, failure, null, null, ct);

    /// <summary>
    /// As above, recording the judged reply and the SBR method (SBR 3.2.2 ¶4) on the challenge. <paramref name="alongside"/>
    /// runs in the same write transaction, told the result, so the caller's own record of the reply commits with it.
    /// </summary>
    public async Task<VerdictResult> ApplyAsync(
        string challengeId, ValidationFailure? failure, string? replyId, Func<DbConnection, DbTransaction, VerdictResult, Task>? alongside, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var at = now.ToUnixTimeMilliseconds();
        var method = $"{SbrMethod.Text}, SBR v{SbrMethod.Version}";

        VerdictResult result = VerdictResult.Ignored;
        await db.WriteAsync(async (c, tx) =>
        {
            // The challenge is read in the write transaction only, so the decision sees the client's challenge POST
            // if it moved the challenge from pending to processing just before (and no read transaction of its own).
            result = VerdictResult.Ignored;
            var challenge = await orders.FindChallengeAsync(c, challengeId, tx);
            if (challenge is null)
            {
                result = VerdictResult.UnknownChallenge;
                if (alongside is not null)
                {
                    await alongside(c, tx, result);
                }

                return true;
            }

            var current = challenge.Status;
            var next = ChallengeDecisions.OnReplyVerdict(current, failure is null);
            var authorization = failure is null ? await orders.FindAuthorizationAsync(c, challenge.AuthorizationId, tx) : null;
            if (failure is null && current is ChallengeStatus.Pending or ChallengeStatus.Processing
                && (authorization is null || ResourceMapper.EffectiveStatus(authorization, now) != AuthorizationStatus.Pending))
            {
                // RFC 8555 §7.1.6, SBR 3.2.2.4: a verified reply that comes after the authorization expired (or
                // was deactivated) validates nothing; an expired authorization must never become valid again.
                // A failure still lands (the challenge ends invalid with its reason, e.g. undeliverable mail).
                result = VerdictResult.AuthorizationClosed;
            }
            else if (next == ChallengeStatus.Invalid)
            {
                var problem = AcmeProblems.FromFailure(failure!);
                if (await orders.SetChallengeInvalidAsync(c, tx, challengeId, current, ResourceMapper.WriteProblem(problem), method, replyId))
                {
                    await propagator.ChallengeInvalidAsync(c, tx, challenge.AuthorizationId);
                    result = VerdictResult.Invalid;
                }
            }
            else if (next == ChallengeStatus.Valid)
            {
                if (await orders.SetChallengeValidAsync(c, tx, challengeId, current, at, method, replyId))
                {
                    await propagator.ChallengeValidAsync(c, tx, challenge.AuthorizationId, now);
                    result = VerdictResult.Valid;
                }
            }
            else if (current == ChallengeStatus.Pending && failure is null && await orders.RecordReplyVerifiedAsync(c, tx, challengeId, at, method, replyId))
            {
                result = VerdictResult.StoredAwaitingClient;
            }

            if (result is not VerdictResult.Ignored)
            {
                await audit.AppendAsync(c, tx, new AuditEvent("challenge.reply-judged", "system",
                    $"{result}: {failure?.Detail ?? "verified"}; method {method}; reply {replyId ?? "-"}")
                    { AuthorizationId = challenge.AuthorizationId, ChallengeId = challengeId });
            }

            if (alongside is not null)
            {
                await alongside(c, tx, result);
            }

            return true;
        }, ct);

        LogVerdict(log, challengeId, failure?.Detail ?? "verified", result);
        metrics.Validation(result, failure?.Kind);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply verdict for challenge {ChallengeId}: {Verdict} -> {Result}")]
    private static partial void LogVerdict(ILogger logger, string challengeId, string verdict, VerdictResult result);
}
