using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.4.2.3: a Mailbox-validated subject holds only commonName, serialNumber and emailAddress (zlint e_mailbox_validated_enforce_subject_field_restrictions).</summary>
public sealed class ProhibitedSubjectAttribute : LintRule
{
    /// <inheritdoc />
    public override string Code => "cabf.smime.prohibited_attribute";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        DerObjectIdentifier[] allowed = [X509Name.CN, X509Name.SerialNumber, X509Name.EmailAddress];
        foreach (var attribute in CertificateReader.SubjectAttributes(certificate).Where(a => !allowed.Contains(a.Type)))
        {
            var name = X509Name.DefaultSymbols.TryGetValue(attribute.Type, out var symbol) ? symbol : attribute.Type.Id;
            yield return Error($"the subject attribute {name} is not allowed in a Mailbox-validated certificate");
        }
    }
}
