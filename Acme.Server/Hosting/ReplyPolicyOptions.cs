using Acme.Validation.Dkim;

namespace Acme.Server.Hosting;

/// <summary>
/// Section <c>Replies</c>: how replies are verified (RFC 8823 §3.2, requirements 1.7).
/// </summary>
public sealed class ReplyPolicyOptions
{
    public const string Section = "Replies";

    /// <summary>
    /// <c>PresentOnly</c> (default): h= must name every header of RFC 8823 §3.2's list that the reply has,
    /// From and Subject always. <c>Strict</c>: every name of the list, present or not (docs/divergences.md).
    /// </summary>
    public DkimHeaderCoverage HeaderCoverage { get; set; } = DkimHeaderCoverage.PresentOnly;

    public int MinimumRsaKeyBits { get; set; } = 1024;

    public DkimPolicy DkimPolicy() => new() { HeaderCoverage = HeaderCoverage, MinimumRsaKeyBits = MinimumRsaKeyBits };
}
