using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.4.2.1: every mailbox in the subject (emailAddress) is repeated as an rfc822Name or SmtpUTF8Mailbox SAN.</summary>
public sealed class EmailAddressNotInSan : SubjectMailboxAttributeRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.email_address_in_attribute_not_in_san";

    /// <inheritdoc />
    protected override DerObjectIdentifier AttributeType => X509Name.EmailAddress;

    /// <inheritdoc />
    protected override string AttributeName => "emailAddress";
}
