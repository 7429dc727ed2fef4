using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>RFC 9598 §3: a SmtpUTF8Mailbox UTF8String SHALL NOT contain a byte-order mark.</summary>
public sealed class SmtpUtf8MailboxHasBom : LintRule
{
    /// <inheritdoc />
    public override string Code => "pkix.smtp_utf8_mailbox_has_bom";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        foreach (var name in (CertificateReader.SubjectAltNames(certificate) ?? []).Where(n => n.TagNo == GeneralName.OtherName))
        {
            if (CertificateReader.MailboxOf(name) is { } address && address.Contains('\uFEFF', StringComparison.Ordinal))
            {
                yield return Error($"the SmtpUTF8Mailbox '{address}' contains a byte-order mark");
            }
        }
    }
}
