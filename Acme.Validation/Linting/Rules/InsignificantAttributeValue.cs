using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.4.2: subject attributes SHALL NOT hold only placeholder characters such as '.', '-' or ' '.</summary>
public sealed class InsignificantAttributeValue : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.insignificant_attribute_value_present";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        foreach (var attribute in CertificateReader.SubjectAttributes(certificate))
        {
            var value = CertificateReader.AttributeText(attribute);
            if (value.All(c => c is '.' or '-' or ' '))
            {
                yield return Error($"the subject attribute {attribute.Type.Id} holds only placeholder characters ('{value}')");
            }
        }
    }
}
