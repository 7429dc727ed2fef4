using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>RFC 9598 §3: SmtpUTF8Mailbox only for a non-ASCII local part; an ASCII local part goes in rfc822Name.</summary>
public sealed class SmtpUtf8MailboxIsAsciiOnly : LintRule
{
    /// <inheritdoc />
    public override string Code => "pkix.smtp_utf8_mailbox_is_ascii_only";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        foreach (var name in (CertificateReader.SubjectAltNames(certificate) ?? []).Where(n => n.TagNo == GeneralName.OtherName))
        {
            if (CertificateReader.MailboxOf(name) is { } address && MailboxText.LocalPart(address).All(char.IsAscii))
            {
                yield return Error($"the SmtpUTF8Mailbox '{address}' has an ASCII local part; it must be an rfc822Name");
            }
        }
    }
}
