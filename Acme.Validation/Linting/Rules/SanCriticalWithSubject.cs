using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(h), RFC 5280 §4.2.1.6: with a non-empty subject the subjectAltName SHOULD NOT be critical (warning).</summary>
public sealed class SanCriticalWithSubject : LintRule
{
    /// <inheritdoc />
    public override string Code => "pkix.san_extension_is_critical";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Extension(certificate, X509Extensions.SubjectAlternativeName) is { IsCritical: true }
            && !CertificateReader.SubjectIsEmpty(certificate))
        {
            yield return Warning("subjectAltName is marked critical although the subject is not empty");
        }
    }
}
