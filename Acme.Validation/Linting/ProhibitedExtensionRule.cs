using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting;

/// <summary>Base class for rules that forbid one extension (SBR §7.1.2.3 (j), (l), (m)).</summary>
public abstract class ProhibitedExtensionRule : LintRule
{
    /// <summary>The forbidden extension.</summary>
    protected abstract DerObjectIdentifier Oid { get; }

    /// <summary>The extension's name, for the message.</summary>
    protected abstract string Name { get; }

    /// <summary>True when the extension is forbidden under the context's profile (default: always).</summary>
    /// <param name="context">The lint context.</param>
    protected virtual bool AppliesTo(LintContext context) => true;

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (AppliesTo(context) && CertificateReader.Extension(certificate, Oid) is not null)
        {
            yield return Error($"the {Name} extension ({Oid.Id}) is prohibited under {context.Profile.Name}");
        }
    }
}
