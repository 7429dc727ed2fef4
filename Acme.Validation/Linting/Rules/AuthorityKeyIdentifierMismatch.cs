using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(g): the keyIdentifier equals the issuing CA's subjectKeyIdentifier (no pkilint or zlint equivalent: they do not see the issuer).</summary>
public sealed class AuthorityKeyIdentifierMismatch : LintRule
{
    /// <inheritdoc />
    public override string Code => "acme.authority_key_identifier_mismatch";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Aki(certificate)?.KeyIdentifier is not { } keyId)
        {
            yield break;
        }

        var issuerSki = Org.BouncyCastle.X509.Extension.X509ExtensionUtilities.GetSubjectKeyIdentifier(context.IssuerCertificate)
            ?? Org.BouncyCastle.X509.Extension.X509ExtensionUtilities.CreateSubjectKeyIdentifier(context.IssuerCertificate.GetPublicKey());
        if (!keyId.GetOctets().AsSpan().SequenceEqual(issuerSki.GetKeyIdentifier()))
        {
            yield return Error($"the AKI keyIdentifier {Convert.ToHexStringLower(keyId.GetOctets())} differs from the issuer's SKI {Convert.ToHexStringLower(issuerSki.GetKeyIdentifier())}");
        }
    }
}
