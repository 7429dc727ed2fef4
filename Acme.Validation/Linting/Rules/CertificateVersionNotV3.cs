using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>RFC 5280 §4.1.2.1: the certificate is version 3.</summary>
public sealed class CertificateVersionNotV3 : LintRule
{
    /// <inheritdoc />
    public override string Code => "pkix.certificate_version_is_not_v3";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (certificate.Version != 3)
        {
            yield return Error($"the certificate is version {certificate.Version}, not 3");
        }
    }
}
