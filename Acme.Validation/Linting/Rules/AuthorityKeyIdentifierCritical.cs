using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(g), RFC 5280 §4.2.1.1: authorityKeyIdentifier SHALL NOT be critical.</summary>
public sealed class AuthorityKeyIdentifierCritical : LintRule
{
    /// <inheritdoc />
    public override string Code => "pkix.authority_key_identifier_critical";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Extension(certificate, X509Extensions.AuthorityKeyIdentifier) is { IsCritical: true })
        {
            yield return Error("the authorityKeyIdentifier extension is marked critical");
        }
    }
}
