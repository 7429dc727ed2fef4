using Org.BouncyCastle.Asn1;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(j): subjectDirectoryAttributes is prohibited in Strict and Multipurpose.</summary>
public sealed class SubjectDirectoryAttributesProhibited : ProhibitedExtensionRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.subject_directory_attributes_extension_prohibited";

    /// <inheritdoc />
    protected override DerObjectIdentifier Oid => LintOids.SubjectDirectoryAttributes;

    /// <inheritdoc />
    protected override string Name => "subjectDirectoryAttributes";

}
