using Org.BouncyCastle.Asn1;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(l): the LEI extension is prohibited for Mailbox-validated certificates.</summary>
public sealed class LeiExtensionProhibited : ProhibitedExtensionRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.lei_extension_prohibited";

    /// <inheritdoc />
    protected override DerObjectIdentifier Oid => LintOids.Lei;

    /// <inheritdoc />
    protected override string Name => "Legal Entity Identifier";

}
