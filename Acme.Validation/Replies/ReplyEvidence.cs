using Acme.Validation.Dkim;
using Acme.Validation.Identifiers;
using Acme.Validation.KeyAuthorization;

namespace Acme.Validation.Replies;

/// <summary>What a successfully validated reply proved, kept as validation evidence (SBR §5.4.1).</summary>
/// <param name="Dkim">The DKIM signature that passed.</param>
/// <param name="From">The reply's author, normalized (equal to the identifier).</param>
/// <param name="Join">The token-join reading whose digest the reply carried.</param>
public sealed record ReplyEvidence(DkimPass Dkim, NormalizedMailbox From, TokenJoin Join)
{
    /// <summary>The SBR validation method (<see cref="SbrMethod.Text"/>).</summary>
    public string ValidationMethod { get; init; } = SbrMethod.Text;

    /// <summary>The SBR version of the method (<see cref="SbrMethod.Version"/>).</summary>
    public string ValidationMethodVersion { get; init; } = SbrMethod.Version;
}
