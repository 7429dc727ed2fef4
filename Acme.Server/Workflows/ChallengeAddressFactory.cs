using System.Security.Cryptography;
using Acme.Validation.Identifiers;

namespace Acme.Server.Workflows;

/// <summary>
/// Unique plus-tagged <c>from</c> addresses under the challenge mailbox (RFC 8823 §3 step 3 example,
/// requirements #9), so every reply is addressed to a mailbox that names its challenge.
/// </summary>
/// <remarks>
/// With S/MIME-signed challenges (<paramref name="tagged"/> false) every challenge uses the bare mailbox,
/// which the signer certificate names (RFC 8823 §3.1 item 6); replies are then matched by In-Reply-To.
/// </remarks>
public sealed class ChallengeAddressFactory(NormalizedMailbox challengeMailbox, bool tagged = true)
{
    public NormalizedMailbox Mailbox { get; } = challengeMailbox;

    public string NewFromAddress()
    {
        if (!tagged)
        {
            return Mailbox.Address;
        }

        // 80 random bits, lower-case hex: survives case-folding mail systems.
        var tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        return $"{Mailbox.LocalPart}+{tag}@{Mailbox.Domain}";
    }
}
