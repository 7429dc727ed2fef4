using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>RFC 9598 §3, SBR §7.1.4.2.1: the domain of every SAN mailbox is in lower-case A-label form (pkilint only checks SmtpUTF8Mailbox).</summary>
public sealed class MailboxDomainNotLowerCaseALabel : LintRule
{
    /// <inheritdoc />
    public override string Code => "acme.san_mailbox_domain_not_lowercase_a_label";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        foreach (var address in CertificateReader.SanMailboxes(certificate))
        {
            var domain = MailboxText.Domain(address);
            if (!MailboxText.IsLowerCaseALabelDomain(domain))
            {
                yield return Error($"the domain '{domain}' of SAN mailbox '{address}' is not in lower-case A-label form");
            }
        }
    }
}
