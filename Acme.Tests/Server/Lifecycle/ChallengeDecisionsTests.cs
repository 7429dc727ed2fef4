using Acme.Server.Lifecycle;
using Acme.Server.Protocol;

namespace Acme.Tests.Server.Lifecycle;

public sealed class ChallengeDecisionsTests
{
    [TestCase(ChallengeStatus.Pending, false, ChallengeStatus.Processing)]
    [TestCase(ChallengeStatus.Pending, true, ChallengeStatus.Valid)]
    [TestCase(ChallengeStatus.Processing, false, null)]
    [TestCase(ChallengeStatus.Valid, true, null)]
    [TestCase(ChallengeStatus.Invalid, false, null)]
    public void OnClientResponse_Table(ChallengeStatus current, bool replyVerified, ChallengeStatus? expected) =>
        Assert.That(ChallengeDecisions.OnClientResponse(current, replyVerified), Is.EqualTo(expected));

    [TestCase(ChallengeStatus.Pending, true, null)]
    [TestCase(ChallengeStatus.Processing, true, ChallengeStatus.Valid)]
    [TestCase(ChallengeStatus.Pending, false, ChallengeStatus.Invalid)]
    [TestCase(ChallengeStatus.Processing, false, ChallengeStatus.Invalid)]
    [TestCase(ChallengeStatus.Valid, false, null)]
    [TestCase(ChallengeStatus.Invalid, true, null)]
    public void OnReplyVerdict_Table(ChallengeStatus current, bool success, ChallengeStatus? expected) =>
        Assert.That(ChallengeDecisions.OnReplyVerdict(current, success), Is.EqualTo(expected));

    [Test]
    public void Decisions_AlwaysFollowAllowedEdges()
    {
        foreach (var status in Enum.GetValues<ChallengeStatus>())
        {
            foreach (var flag in new[] { true, false })
            {
                foreach (var next in new[] { ChallengeDecisions.OnClientResponse(status, flag), ChallengeDecisions.OnReplyVerdict(status, flag) })
                {
                    if (next is { } to)
                    {
                        Assert.That(Transitions.Challenge.IsAllowed(status, to), Is.True, $"{status} -> {to}");
                    }
                }
            }
        }
    }
}
