using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.4.2.1: every mailbox in the subject (emailAddress) is repeated as an rfc822Name or SmtpUTF8Mailbox SAN.</summary>
public sealed class EmailAddressNotInSan : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.email_address_in_attribute_not_in_san";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        var mailboxes = CertificateReader.SanMailboxes(certificate).ToHashSet(StringComparer.Ordinal);
        foreach (var attribute in CertificateReader.SubjectAttributes(certificate).Where(a => a.Type.Equals(X509Name.EmailAddress)))
        {
            var value = CertificateReader.AttributeText(attribute);
            if (!mailboxes.Contains(value))
            {
                yield return Error($"the subject emailAddress '{value}' is not a SAN mailbox address");
            }
        }
    }
}
