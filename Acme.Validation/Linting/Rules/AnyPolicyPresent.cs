using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(a): an S/MIME subscriber certificate SHALL NOT carry anyPolicy.</summary>
public sealed class AnyPolicyPresent : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.anypolicy_present";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        if ((CertificateReader.Policies(certificate) ?? []).Any(p => p.PolicyIdentifier.Equals(LintOids.AnyPolicy)))
        {
            yield return Error("the anyPolicy identifier (2.5.29.32.0) is present");
        }
    }
}
