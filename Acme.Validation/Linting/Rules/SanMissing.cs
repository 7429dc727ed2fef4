using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(h), §7.1.4.2.1: subjectAltName SHALL be present.</summary>
public sealed class SanMissing : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.san_extension_missing";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Extension(certificate, X509Extensions.SubjectAlternativeName) is null)
        {
            yield return Error("the subjectAltName extension is absent");
        }
    }
}
