using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(d), RFC 5280 §4.2.1.9: pathLenConstraint SHALL NOT be present.</summary>
public sealed class PathLenForNonCa : LintRule
{
    /// <inheritdoc />
    public override string Code => "pkix.basic_constraints.has_pathlen_for_non_ca";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if (CertificateReader.Value(certificate, X509Extensions.BasicConstraints) is { } value
            && BasicConstraints.GetInstance(value).PathLenConstraint is { } pathLen)
        {
            yield return Error($"basicConstraints carries pathLenConstraint {pathLen}");
        }
    }
}
