using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.4.2.2(h): emailAddress, when present, holds exactly one mailbox (one attribute).</summary>
public sealed class SingleEmailAddress : LintRule
{
    /// <inheritdoc />
    public override string Code => "e_single_email_subject_if_present";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        var count = CertificateReader.SubjectAttributes(certificate).Count(a => a.Type.Equals(X509Name.EmailAddress));
        if (count > 1)
        {
            yield return Error($"the subject holds {count} emailAddress attributes; at most one is allowed");
        }
    }
}
