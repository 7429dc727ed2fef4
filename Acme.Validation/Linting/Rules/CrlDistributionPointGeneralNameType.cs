using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(b): a distributionPoint fullName SHALL hold uniformResourceIdentifier names only.</summary>
public sealed class CrlDistributionPointGeneralNameType : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.crldp_fullname_prohibited_generalname_type";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        foreach (var name in CertificateReader.CrlFullNames(certificate).Where(n => n.TagNo != GeneralName.UniformResourceIdentifier))
        {
            yield return Error($"a CRL distribution point fullName holds a GeneralName of tag [{name.TagNo}], not a URI");
        }
    }
}
