using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.4.2.2(a): a Mailbox-validated commonName holds one of the SAN mailbox addresses.</summary>
public sealed class CommonNameValueUnknownSource : SubjectMailboxAttributeRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.common_name_value_unknown_source";

    /// <inheritdoc />
    protected override DerObjectIdentifier AttributeType => X509Name.CN;

    /// <inheritdoc />
    protected override string AttributeName => "commonName";
}
