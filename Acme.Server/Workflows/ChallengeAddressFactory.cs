using System.Security.Cryptography;
using Acme.Validation.Identifiers;

namespace Acme.Server.Workflows;

/// <summary>
/// Unique plus-tagged <c>from</c> addresses under the challenge mailbox (RFC 8823 §3 step 3 example,
/// requirements #9), so every reply is addressed to a mailbox that names its challenge.
/// </summary>
public sealed class ChallengeAddressFactory(NormalizedMailbox challengeMailbox)
{
    public NormalizedMailbox Mailbox { get; } = challengeMailbox;

    public string NewFromAddress()
    {
        // 80 random bits, lower-case hex: survives case-folding mail systems.
        var tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        return $"{Mailbox.LocalPart}+{tag}@{Mailbox.Domain}";
    }
}
