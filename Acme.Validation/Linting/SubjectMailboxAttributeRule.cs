using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting;

/// <summary>Base of the rules that require a subject attribute's value to be one of the SAN mailbox addresses.</summary>
public abstract class SubjectMailboxAttributeRule : LintRule
{
    /// <summary>The subject attribute checked.</summary>
    protected abstract DerObjectIdentifier AttributeType { get; }

    /// <summary>How findings name the attribute, e.g. "commonName".</summary>
    protected abstract string AttributeName { get; }

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        var mailboxes = CertificateReader.SanMailboxes(certificate).ToHashSet(StringComparer.Ordinal);
        foreach (var attribute in CertificateReader.SubjectAttributes(certificate).Where(a => a.Type.Equals(AttributeType)))
        {
            var value = CertificateReader.AttributeText(attribute);
            if (!mailboxes.Contains(value))
            {
                yield return Error($"the subject {AttributeName} '{value}' is not one of the SAN mailbox addresses");
            }
        }
    }
}
