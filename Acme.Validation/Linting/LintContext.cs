using Acme.Validation.Identifiers;
using Acme.Validation.Profiles;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting;

/// <summary>What the linter needs to know beyond the certificate itself.</summary>
/// <param name="Profile">The certificate profile the certificate is issued under.</param>
/// <param name="IssuerCertificate">The issuing CA certificate (for the AKI, issuer DN and signature checks).</param>
/// <param name="ValidatedMailboxes">The mailboxes validated for this order: the only ones that may appear.</param>
/// <param name="Now">The time of issuance.</param>
public sealed record LintContext(
    CertificateProfile Profile,
    X509Certificate IssuerCertificate,
    IReadOnlyList<NormalizedMailbox> ValidatedMailboxes,
    DateTimeOffset Now)
{
    /// <summary>True when <see cref="Profile"/> is a Strict generation profile (SBR §7.1.6.1).</summary>
    public bool IsStrict => Profile.PolicyOid.EndsWith(".3", StringComparison.Ordinal);

    /// <summary>
    /// Internal host names and reserved addresses in the CRL and CA-issuer URLs are warnings instead of
    /// errors: the Development environment and private PKIs that chose <c>Issuance:AllowInternalUrls</c>.
    /// </summary>
    public bool AllowInternalNames { get; init; }
}
