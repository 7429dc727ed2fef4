using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.3.2: the signature AlgorithmIdentifier matches one of the fixed DER encodings byte for byte.</summary>
public sealed class ProhibitedSignatureAlgorithmEncoding : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.prohibited_signature_algorithm_encoding";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        var hex = CertificateReader.Hex(certificate.CertificateStructure.SignatureAlgorithm);
        if (!AlgorithmEncodings.Signature.ContainsKey(hex))
        {
            yield return Error($"the signature algorithm is encoded as {hex}, not one of the SBR §7.1.3.2 encodings");
        }
    }
}
