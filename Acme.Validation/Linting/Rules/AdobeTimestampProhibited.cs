using Org.BouncyCastle.Asn1;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(m): the Adobe timestamp extension is prohibited for Strict (MAY in Multipurpose).</summary>
public sealed class AdobeTimestampProhibited : ProhibitedExtensionRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.adobe_timestamp_extension_prohibited";

    /// <inheritdoc />
    protected override DerObjectIdentifier Oid => LintOids.AdobeTimestamp;

    /// <inheritdoc />
    protected override string Name => "Adobe timestamp";

    /// <inheritdoc />
    protected override bool AppliesTo(LintContext context) => context?.IsStrict ?? true;
}
