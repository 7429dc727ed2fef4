using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.3.2: the signature algorithm fits the issuing CA's key (RSA with RSA, the curve's hash for ECDSA, Ed25519 with Ed25519).</summary>
public sealed class SignatureAlgorithmNotForIssuerKey : LintRule
{
    /// <inheritdoc />
    public override string Code => "acme.signature_algorithm_does_not_match_issuer_key";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        var hex = CertificateReader.Hex(certificate.CertificateStructure.SignatureAlgorithm);
        if (!AlgorithmEncodings.Signature.TryGetValue(hex, out var expected))
        {
            yield break; // the encoding rule reports it
        }

        var issuerKey = AlgorithmEncodings.KeyLabel(context.IssuerCertificate.SubjectPublicKeyInfo);
        if (!string.Equals(expected, issuerKey, StringComparison.Ordinal))
        {
            yield return Error($"the signature algorithm needs a {expected} key but the issuing CA has a {issuerKey} key");
        }
    }
}
