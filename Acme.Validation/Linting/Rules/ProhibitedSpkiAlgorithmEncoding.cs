using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.3.1: the SubjectPublicKeyInfo AlgorithmIdentifier matches one of the fixed DER encodings byte for byte.</summary>
public sealed class ProhibitedSpkiAlgorithmEncoding : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.prohibited_spki_algorithm_encoding";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        var hex = CertificateReader.Hex(certificate.SubjectPublicKeyInfo.Algorithm);
        if (!AlgorithmEncodings.SubjectPublicKeyInfo.Contains(hex))
        {
            yield return Error($"the SubjectPublicKeyInfo algorithm is encoded as {hex}, not one of the SBR §7.1.3.1 encodings");
        }
    }
}
