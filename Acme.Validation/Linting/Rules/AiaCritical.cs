using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(c), RFC 5280 §4.2.2.1: authorityInformationAccess SHALL NOT be critical.</summary>
public sealed class AiaCritical : LintRule
{
    /// <inheritdoc />
    public override string Code => "pkix.authority_information_access_extension_critical";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Extension(certificate, X509Extensions.AuthorityInfoAccess) is { IsCritical: true })
        {
            yield return Error("the authorityInformationAccess extension is marked critical");
        }
    }
}
