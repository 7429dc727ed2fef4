using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(a): an id-qt-unotice qualifier SHALL use explicitText only and SHALL NOT contain noticeRef.</summary>
public sealed class UserNoticeHasNoticeRef : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.usernotice_has_noticeref";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        foreach (var qualifier in CertificateReader.PolicyQualifiers(certificate)
            .Where(q => q.PolicyQualifierId.Equals(PolicyQualifierID.IdQtUnotice)))
        {
            if (UserNotice.GetInstance(qualifier.Qualifier).NoticeRef is not null)
            {
                yield return Error("a userNotice qualifier contains noticeRef");
            }
        }
    }
}
