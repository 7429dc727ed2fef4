using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.4: extensions beyond those §7.1.2.3 lists need a documented reason (warning).</summary>
public sealed class ExtensionNotInProfile : LintRule
{
    /// <inheritdoc />
    public override string Code => "acme.extension_not_in_profile";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        foreach (var oid in CertificateReader.ExtensionOids(certificate).Where(o => !ProfileExtensions.IsListed(o, context.IsStrict)))
        {
            yield return Warning($"the extension {oid.Id} is not one §7.1.2.3 lists for {context.Profile.Name}");
        }
    }
}
