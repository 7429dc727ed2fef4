using Org.BouncyCastle.Asn1;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(m): the Adobe archiveRevInfo extension is prohibited for Strict (MAY in Multipurpose).</summary>
public sealed class AdobeArchiveRevInfoProhibited : ProhibitedExtensionRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.adobe_archive_revinfo_extension_prohibited";

    /// <inheritdoc />
    protected override DerObjectIdentifier Oid => LintOids.AdobeArchiveRevInfo;

    /// <inheritdoc />
    protected override string Name => "Adobe archiveRevInfo";

    /// <inheritdoc />
    protected override bool AppliesTo(LintContext context) => context?.IsStrict ?? true;
}
