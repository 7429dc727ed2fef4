using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.4.2.1: a Strict certificate allows only the SmtpUTF8Mailbox otherName; Multipurpose may carry others.</summary>
public sealed class ProhibitedOtherNameType : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.prohibited_othername_type_present";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (!context.IsStrict)
        {
            yield break;
        }

        foreach (var name in (CertificateReader.SubjectAltNames(certificate) ?? []).Where(n => n.TagNo == GeneralName.OtherName))
        {
            var type = OtherName.GetInstance(name.Name).TypeID;
            if (!type.Equals(LintOids.SmtpUtf8Mailbox))
            {
                yield return Error($"subjectAltName holds an otherName of type {type.Id}; Strict allows SmtpUTF8Mailbox only");
            }
        }
    }
}
