using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.4.2.1: the SAN SHALL hold at least one rfc822Name or SmtpUTF8Mailbox.</summary>
public sealed class SanDoesNotContainEmailAddress : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.san_does_not_contain_email_address";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.SubjectAltNames(certificate) is { } names && !names.Any(n => CertificateReader.MailboxOf(n) is not null))
        {
            yield return Error("subjectAltName holds no rfc822Name and no SmtpUTF8Mailbox");
        }
    }
}
