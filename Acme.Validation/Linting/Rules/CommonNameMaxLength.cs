using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>RFC 5280 ub-common-name, SBR §7.1.4.2.2 note: commonName is at most 64 characters.</summary>
public sealed class CommonNameMaxLength : LintRule
{
    /// <inheritdoc />
    public override string Code => "e_subject_common_name_max_length";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        foreach (var attribute in CertificateReader.SubjectAttributes(certificate).Where(a => a.Type.Equals(X509Name.CN)))
        {
            var value = CertificateReader.AttributeText(attribute);
            if (value.Length > 64)
            {
                yield return Error($"the commonName is {value.Length} characters long; the limit is 64");
            }
        }
    }
}
