using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.4.2.2(a): a Mailbox-validated commonName holds one of the SAN mailbox addresses.</summary>
public sealed class CommonNameValueUnknownSource : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.common_name_value_unknown_source";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        var mailboxes = CertificateReader.SanMailboxes(certificate).ToHashSet(StringComparer.Ordinal);
        foreach (var attribute in CertificateReader.SubjectAttributes(certificate).Where(a => a.Type.Equals(X509Name.CN)))
        {
            var value = CertificateReader.AttributeText(attribute);
            if (!mailboxes.Contains(value))
            {
                yield return Error($"the commonName '{value}' is not one of the SAN mailbox addresses");
            }
        }
    }
}
