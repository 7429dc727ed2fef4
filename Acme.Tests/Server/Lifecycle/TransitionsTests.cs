using Acme.Server.Lifecycle;
using Acme.Server.Protocol;

namespace Acme.Tests.Server.Lifecycle;

/// <summary>Walks every (from, to) pair of every status machine against RFC 8555 §7.1.6.</summary>
public sealed class TransitionsTests
{
    private static readonly HashSet<(OrderStatus, OrderStatus)> OrderEdges =
    [
        (OrderStatus.Pending, OrderStatus.Ready), (OrderStatus.Pending, OrderStatus.Invalid),
        (OrderStatus.Ready, OrderStatus.Processing), (OrderStatus.Ready, OrderStatus.Invalid),
        (OrderStatus.Processing, OrderStatus.Valid), (OrderStatus.Processing, OrderStatus.Invalid),
    ];

    private static readonly HashSet<(AuthorizationStatus, AuthorizationStatus)> AuthorizationEdges =
    [
        (AuthorizationStatus.Pending, AuthorizationStatus.Valid), (AuthorizationStatus.Pending, AuthorizationStatus.Invalid),
        (AuthorizationStatus.Pending, AuthorizationStatus.Deactivated), (AuthorizationStatus.Pending, AuthorizationStatus.Expired),
        (AuthorizationStatus.Valid, AuthorizationStatus.Deactivated), (AuthorizationStatus.Valid, AuthorizationStatus.Expired),
        (AuthorizationStatus.Valid, AuthorizationStatus.Revoked),
    ];

    private static readonly HashSet<(ChallengeStatus, ChallengeStatus)> ChallengeEdges =
    [
        (ChallengeStatus.Pending, ChallengeStatus.Processing), (ChallengeStatus.Pending, ChallengeStatus.Valid),
        (ChallengeStatus.Pending, ChallengeStatus.Invalid), (ChallengeStatus.Processing, ChallengeStatus.Valid),
        (ChallengeStatus.Processing, ChallengeStatus.Invalid),
    ];

    private static readonly HashSet<(AccountStatus, AccountStatus)> AccountEdges =
        [(AccountStatus.Valid, AccountStatus.Deactivated), (AccountStatus.Valid, AccountStatus.Revoked)];

    // The outbox: claimed before sending; a failed mail goes back to the queue only by the operator's `mail retry`.
    private static readonly HashSet<(ChallengeMailStatus, ChallengeMailStatus)> ChallengeMailEdges =
    [
        (ChallengeMailStatus.Queued, ChallengeMailStatus.Sending), (ChallengeMailStatus.Sending, ChallengeMailStatus.Sending),
        (ChallengeMailStatus.Sending, ChallengeMailStatus.Sent), (ChallengeMailStatus.Sending, ChallengeMailStatus.Queued),
        (ChallengeMailStatus.Sending, ChallengeMailStatus.Failed), (ChallengeMailStatus.Failed, ChallengeMailStatus.Queued),
    ];

    private static IEnumerable<TestCaseData> Pairs<T>(HashSet<(T, T)> allowed) where T : struct, Enum =>
        from f in Enum.GetValues<T>() from t in Enum.GetValues<T>()
        select new TestCaseData(f, t, allowed.Contains((f, t))).SetArgDisplayNames($"{f}->{t}");

    private static IEnumerable<TestCaseData> OrderPairs() => Pairs(OrderEdges);
    private static IEnumerable<TestCaseData> AuthorizationPairs() => Pairs(AuthorizationEdges);
    private static IEnumerable<TestCaseData> ChallengePairs() => Pairs(ChallengeEdges);
    private static IEnumerable<TestCaseData> AccountPairs() => Pairs(AccountEdges);
    private static IEnumerable<TestCaseData> ChallengeMailPairs() => Pairs(ChallengeMailEdges);

    [TestCaseSource(nameof(OrderPairs))]
    public void Order_EveryPair_MatchesRfc(OrderStatus from, OrderStatus to, bool allowed) =>
        Check(Transitions.Order, from, to, allowed);

    [TestCaseSource(nameof(AuthorizationPairs))]
    public void Authorization_EveryPair_MatchesRfc(AuthorizationStatus from, AuthorizationStatus to, bool allowed) =>
        Check(Transitions.Authorization, from, to, allowed);

    [TestCaseSource(nameof(ChallengePairs))]
    public void Challenge_EveryPair_MatchesRfc(ChallengeStatus from, ChallengeStatus to, bool allowed) =>
        Check(Transitions.Challenge, from, to, allowed);

    [TestCaseSource(nameof(AccountPairs))]
    public void Account_EveryPair_MatchesRfc(AccountStatus from, AccountStatus to, bool allowed) =>
        Check(Transitions.Account, from, to, allowed);

    [TestCaseSource(nameof(ChallengeMailPairs))]
    public void ChallengeMail_EveryPair_MatchesOutboxRules(ChallengeMailStatus from, ChallengeMailStatus to, bool allowed) =>
        Check(Transitions.ChallengeMail, from, to, allowed);

    [Test]
    public void Certificate_OnlyValidToRevoked_Allowed()
    {
        Assert.That(Transitions.Certificate.IsAllowed(CertificateStatus.Valid, CertificateStatus.Revoked), Is.True);
        Assert.That(Transitions.Certificate.IsAllowed(CertificateStatus.Revoked, CertificateStatus.Valid), Is.False);
    }

    private static void Check<T>(TransitionTable<T> table, T from, T to, bool allowed) where T : struct, Enum
    {
        Assert.That(table.IsAllowed(from, to), Is.EqualTo(allowed));
        if (allowed)
        {
            Assert.DoesNotThrow(() => table.Ensure(from, to));
        }
        else
        {
            Assert.Throws<InvalidOperationException>(() => table.Ensure(from, to));
        }
    }
}
