using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>RFC 5280 §4.2.1.6, RFC 9598 §3: an rfc822Name is an ASCII local@domain mailbox.</summary>
public sealed class Rfc822NameInvalidSyntax : LintRule
{
    /// <inheritdoc />
    public override string Code => "pkix.invalid_email_address_syntax";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        foreach (var name in (CertificateReader.SubjectAltNames(certificate) ?? []).Where(n => n.TagNo == GeneralName.Rfc822Name))
        {
            // The raw octets: BouncyCastle shows a non-ASCII IA5String byte as '?'.
            var octets = DerIA5String.GetInstance(name.Name).GetOctets();
            var address = CertificateReader.MailboxOf(name)!;
            var at = address.LastIndexOf('@');
            if (octets.Any(b => b > 0x7F) || at <= 0 || at == address.Length - 1)
            {
                yield return Error($"the rfc822Name '{address}' is not an ASCII local@domain mailbox");
            }
        }
    }
}
