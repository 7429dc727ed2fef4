using Acme.Server.Protocol;

namespace Acme.Server.Lifecycle;

/// <summary>
/// The allowed status edges of every ACME resource (RFC 8555 §7.1.6). Storage applies a change
/// only as a compare-and-set on one of these edges; nothing else writes a status column.
/// </summary>
public static class Transitions
{
    // RFC 8555 §7.1.6: accounts are valid until deactivated by the client or revoked by the server.
    public static readonly TransitionTable<AccountStatus> Account = new(
        (AccountStatus.Valid, AccountStatus.Deactivated),
        (AccountStatus.Valid, AccountStatus.Revoked));

    // RFC 8555 §7.1.6: pending → ready → processing → valid, any unfinished state → invalid.
    public static readonly TransitionTable<OrderStatus> Order = new(
        (OrderStatus.Pending, OrderStatus.Ready),
        (OrderStatus.Pending, OrderStatus.Invalid),
        (OrderStatus.Ready, OrderStatus.Processing),
        (OrderStatus.Ready, OrderStatus.Invalid),
        (OrderStatus.Processing, OrderStatus.Valid),
        (OrderStatus.Processing, OrderStatus.Invalid));

    // RFC 8555 §7.1.6: pending → valid/invalid/deactivated/expired; valid → deactivated/expired/revoked.
    public static readonly TransitionTable<AuthorizationStatus> Authorization = new(
        (AuthorizationStatus.Pending, AuthorizationStatus.Valid),
        (AuthorizationStatus.Pending, AuthorizationStatus.Invalid),
        (AuthorizationStatus.Pending, AuthorizationStatus.Deactivated),
        (AuthorizationStatus.Pending, AuthorizationStatus.Expired),
        (AuthorizationStatus.Valid, AuthorizationStatus.Deactivated),
        (AuthorizationStatus.Valid, AuthorizationStatus.Expired),
        (AuthorizationStatus.Valid, AuthorizationStatus.Revoked));

    // RFC 8555 §7.1.6: pending → processing → valid/invalid; a reply that arrived before the
    // client's POST lets pending go straight to valid when the POST comes (RFC 8823 §3 step 7).
    public static readonly TransitionTable<ChallengeStatus> Challenge = new(
        (ChallengeStatus.Pending, ChallengeStatus.Processing),
        (ChallengeStatus.Pending, ChallengeStatus.Valid),
        (ChallengeStatus.Pending, ChallengeStatus.Invalid),
        (ChallengeStatus.Processing, ChallengeStatus.Valid),
        (ChallengeStatus.Processing, ChallengeStatus.Invalid));

    // The outbox (RFC 8823 §3 step 4): claimed before sending, so no two senders deliver one mail.
    public static readonly TransitionTable<ChallengeMailStatus> ChallengeMail = new(
        (ChallengeMailStatus.Queued, ChallengeMailStatus.Sending),
        (ChallengeMailStatus.Sending, ChallengeMailStatus.Sending),
        (ChallengeMailStatus.Sending, ChallengeMailStatus.Sent),
        (ChallengeMailStatus.Sending, ChallengeMailStatus.Queued),
        (ChallengeMailStatus.Sending, ChallengeMailStatus.Failed),
        (ChallengeMailStatus.Failed, ChallengeMailStatus.Queued)); // the operator's `mail retry`, while its challenge still waits

    // RFC 8555 §7.6: an issued certificate can only be revoked, once.
    public static readonly TransitionTable<CertificateStatus> Certificate = new(
        (CertificateStatus.Valid, CertificateStatus.Revoked));
}
