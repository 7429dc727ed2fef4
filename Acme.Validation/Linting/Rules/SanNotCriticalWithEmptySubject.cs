using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>RFC 5280 §4.2.1.6, SBR §7.1.2.3(h): with an empty subject the subjectAltName SHALL be critical.</summary>
public sealed class SanNotCriticalWithEmptySubject : LintRule
{
    /// <inheritdoc />
    public override string Code => "pkix.san_extension_not_critical";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Extension(certificate, X509Extensions.SubjectAlternativeName) is { IsCritical: false }
            && CertificateReader.SubjectIsEmpty(certificate))
        {
            yield return Error("the subject is empty but subjectAltName is not marked critical");
        }
    }
}
