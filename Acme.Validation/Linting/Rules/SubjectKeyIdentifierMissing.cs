using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(n), RFC 5280 §4.2.1.2: subjectKeyIdentifier SHOULD be present (warning).</summary>
public sealed class SubjectKeyIdentifierMissing : LintRule
{
    /// <inheritdoc />
    public override string Code => "pkix.certificate_skid_end_entity_missing";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Extension(certificate, X509Extensions.SubjectKeyIdentifier) is null)
        {
            yield return Warning("the subjectKeyIdentifier extension is absent");
        }
    }
}
