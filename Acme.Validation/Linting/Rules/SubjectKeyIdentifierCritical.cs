using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(n), RFC 5280 §4.2.1.2: subjectKeyIdentifier SHALL NOT be critical.</summary>
public sealed class SubjectKeyIdentifierCritical : LintRule
{
    /// <inheritdoc />
    public override string Code => "pkix.certificate_skid_extension_critical";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Extension(certificate, X509Extensions.SubjectKeyIdentifier) is { IsCritical: true })
        {
            yield return Error("the subjectKeyIdentifier extension is marked critical");
        }
    }
}
