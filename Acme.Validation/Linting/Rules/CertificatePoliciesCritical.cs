using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(a): certificatePolicies SHOULD NOT be critical (warning).</summary>
public sealed class CertificatePoliciesCritical : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.critical_certificate_policies_extension";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Extension(certificate, X509Extensions.CertificatePolicies) is { IsCritical: true })
        {
            yield return Warning("the certificatePolicies extension is marked critical");
        }
    }
}
