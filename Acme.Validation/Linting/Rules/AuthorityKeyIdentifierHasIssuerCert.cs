using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(g): authorityCertIssuer and authorityCertSerialNumber SHALL NOT be present.</summary>
public sealed class AuthorityKeyIdentifierHasIssuerCert : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.authority_key_identifier_has_issuer_cert";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Aki(certificate) is { } aki && (aki.AuthorityCertIssuer is not null || aki.AuthorityCertSerialNumber is not null))
        {
            yield return Error("authorityKeyIdentifier carries authorityCertIssuer or authorityCertSerialNumber");
        }
    }
}
