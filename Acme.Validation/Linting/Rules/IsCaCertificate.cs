using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(d): basicConstraints cA SHALL NOT be true.</summary>
public sealed class IsCaCertificate : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.is_ca_certificate";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Value(certificate, X509Extensions.BasicConstraints) is { } value && BasicConstraints.GetInstance(value).IsCA())
        {
            yield return Error("basicConstraints asserts cA");
        }
    }
}
