using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.4.2.1: the SAN of a Mailbox-validated certificate holds rfc822Name and otherName entries only.</summary>
public sealed class ProhibitedGeneralNameType : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.prohibited_generalname_type_present";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        foreach (var name in CertificateReader.SubjectAltNames(certificate) ?? [])
        {
            if (name.TagNo is not (GeneralName.Rfc822Name or GeneralName.OtherName))
            {
                yield return Error($"subjectAltName holds a GeneralName of tag [{name.TagNo}] ({name})");
            }
        }
    }
}
