using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>RFC 5280 §4.1.1.2: the outer signatureAlgorithm equals the tbsCertificate signature field.</summary>
public sealed class SignatureAlgorithmMismatch : LintRule
{
    /// <inheritdoc />
    public override string Code => "pkix.certificate_signature_algorithm_mismatch";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        var outer = certificate.CertificateStructure.SignatureAlgorithm.GetDerEncoded();
        var inner = CertificateReader.Tbs(certificate).Signature.GetDerEncoded();
        if (!outer.AsSpan().SequenceEqual(inner))
        {
            yield return Error("the signatureAlgorithm differs from the tbsCertificate signature field");
        }
    }
}
