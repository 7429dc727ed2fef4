using Org.BouncyCastle.Asn1;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(l): the LEI role extension is prohibited for Mailbox-validated certificates.</summary>
public sealed class LeiRoleExtensionProhibited : ProhibitedExtensionRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.lei_role_extension_prohibited";

    /// <inheritdoc />
    protected override DerObjectIdentifier Oid => LintOids.LeiRole;

    /// <inheritdoc />
    protected override string Name => "Legal Entity Identifier role";

}
