using Acme.Server.Protocol;

namespace Acme.Server.Lifecycle;

/// <summary>What a challenge event leads to. Pure: storage applies the result as a compare-and-set.</summary>
public static class ChallengeDecisions
{
    /// <summary>
    /// The client POSTed to the challenge (RFC 8555 §7.5.1). A verified reply that arrived first makes
    /// it valid at once; without one it waits in <c>processing</c> (RFC 8823 §3 step 7). Null: no change.
    /// </summary>
    public static ChallengeStatus? OnClientResponse(ChallengeStatus current, bool replyVerified) => current switch
    {
        ChallengeStatus.Pending => replyVerified ? ChallengeStatus.Valid : ChallengeStatus.Processing,
        _ => null,
    };

    /// <summary>
    /// A reply was judged. Success makes a challenge the client already POSTed valid and leaves a pending
    /// one pending (the verdict is stored); failure makes it invalid. A challenge that is already valid or
    /// invalid ignores later replies: the first judged reply consumes the token (RFC 8823 §6).
    /// Null: no status change.
    /// </summary>
    public static ChallengeStatus? OnReplyVerdict(ChallengeStatus current, bool success) => (current, success) switch
    {
        (ChallengeStatus.Pending, true) => null,
        (ChallengeStatus.Processing, true) => ChallengeStatus.Valid,
        (ChallengeStatus.Pending or ChallengeStatus.Processing, false) => ChallengeStatus.Invalid,
        _ => null,
    };
}
