using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace Acme.Validation.Linting;

/// <summary>The extensions SBR §7.1.2.3 lists for a Mailbox-validated subscriber certificate.</summary>
internal static class ProfileExtensions
{
    private static readonly DerObjectIdentifier[] Listed =
    [
        X509Extensions.CertificatePolicies, X509Extensions.CrlDistributionPoints, X509Extensions.AuthorityInfoAccess,
        X509Extensions.BasicConstraints, X509Extensions.KeyUsage, X509Extensions.ExtendedKeyUsage,
        X509Extensions.AuthorityKeyIdentifier, X509Extensions.SubjectAlternativeName, LintOids.SmimeCapabilities,
        LintOids.QcStatements, X509Extensions.SubjectKeyIdentifier,
    ];

    /// <summary>True when §7.1.2.3 lists <paramref name="oid"/> (Adobe extensions: Multipurpose only).</summary>
    public static bool IsListed(DerObjectIdentifier oid, bool strict) =>
        Listed.Contains(oid) || (!strict && (oid.Equals(LintOids.AdobeTimestamp) || oid.Equals(LintOids.AdobeArchiveRevInfo)));
}
