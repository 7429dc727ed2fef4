using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(b): cRLDistributionPoints SHOULD NOT be critical (warning).</summary>
public sealed class CrlDistributionPointsCritical : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.critical_crldp_extension";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Extension(certificate, X509Extensions.CrlDistributionPoints) is { IsCritical: true })
        {
            yield return Warning("the cRLDistributionPoints extension is marked critical");
        }
    }
}
