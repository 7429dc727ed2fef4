using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(g), RFC 5280 §4.2.1.1: authorityKeyIdentifier SHALL carry keyIdentifier.</summary>
public sealed class AuthorityKeyIdentifierKeyIdMissing : LintRule
{
    /// <inheritdoc />
    public override string Code => "pkix.authority_key_identifier_keyid_missing";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Aki(certificate) is { } aki && aki.KeyIdentifier is null)
        {
            yield return Error("authorityKeyIdentifier has no keyIdentifier");
        }
    }
}
