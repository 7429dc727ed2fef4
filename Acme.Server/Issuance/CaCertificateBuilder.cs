using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace Acme.Server.Issuance;

/// <summary>
/// Builds CA certificates: a self-signed root (SBR §7.1.2.1) and a technically-constrained S/MIME subordinate
/// CA (SBR §7.1.2.2). Used by the CA set-up commands and the development CA, so both share one profile.
/// </summary>
public static class CaCertificateBuilder
{
    /// <summary>The reserved SBR policy OIDs of what this server issues: Mailbox-validated Multipurpose and Strict (SBR §7.1.6.1).</summary>
    public static IReadOnlyList<string> MailboxValidatedPolicies { get; } = ["2.23.140.1.5.1.2", "2.23.140.1.5.1.3"];

    /// <summary>A self-signed root CA certificate.</summary>
    public static X509Certificate Root(
        X509Name subject, AsymmetricKeyParameter publicKey, DateTimeOffset notBefore, DateTimeOffset notAfter, ISignatureFactory signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var ski = X509ExtensionUtilities.CreateSubjectKeyIdentifier(publicKey);
        var generator = NewGenerator(subject, subject, publicKey, notBefore, notAfter);

        // SBR §7.1.2.1: basicConstraints critical, cA true, no pathLenConstraint (SHOULD NOT be present).
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(true));

        // SBR §7.1.2.1: keyUsage critical with keyCertSign and cRLSign.
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));

        // SBR §7.1.2.1: subjectKeyIdentifier; an authorityKeyIdentifier, if present, holds keyIdentifier only.
        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, ski);
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(ski.GetKeyIdentifier()));
        var root = generator.Generate(signer);
        root.Verify(publicKey);
        return root;
    }

    /// <summary>
    /// A subordinate CA certificate for issuing Mailbox-validated S/MIME certificates, signed by <paramref name="issuer"/>'s key.
    /// </summary>
    /// <param name="issuer">The root (or higher) CA certificate.</param>
    /// <param name="subject">The subordinate CA's name.</param>
    /// <param name="publicKey">The subordinate CA's public key.</param>
    /// <param name="notBefore">Start of validity.</param>
    /// <param name="notAfter">End of validity; must lie within the issuer's.</param>
    /// <param name="crlUrl">HTTP URL of the issuer's CRL.</param>
    /// <param name="caIssuersUrl">HTTP URL of the issuer's certificate.</param>
    /// <param name="signer">The issuer's signing key.</param>
    public static X509Certificate Subordinate(
        X509Certificate issuer, X509Name subject, AsymmetricKeyParameter publicKey, DateTimeOffset notBefore, DateTimeOffset notAfter,
        string crlUrl, string caIssuersUrl, ISignatureFactory signer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(signer);
        RequireHttp(crlUrl, nameof(crlUrl));
        RequireHttp(caIssuersUrl, nameof(caIssuersUrl));
        if (notAfter.UtcDateTime > issuer.NotAfter || notBefore.UtcDateTime < issuer.NotBefore)
        {
            throw new ArgumentException($"the subordinate's validity {notBefore:O} to {notAfter:O} must lie within the issuer's {issuer.NotBefore:O} to {issuer.NotAfter:O}");
        }

        var issuerSki = X509ExtensionUtilities.GetSubjectKeyIdentifier(issuer)
            ?? X509ExtensionUtilities.CreateSubjectKeyIdentifier(issuer.GetPublicKey());
        var generator = NewGenerator(issuer.SubjectDN, subject, publicKey, notBefore, notAfter);

        // SBR §7.1.2.2: certificatePolicies, not critical, with the reserved S/MIME policy OIDs the CA issues under.
        generator.AddExtension(X509Extensions.CertificatePolicies, false, new CertificatePolicies(
            MailboxValidatedPolicies.Select(oid => new PolicyInformation(new DerObjectIdentifier(oid))).ToArray()));

        // SBR §7.1.2.2: cRLDistributionPoints, not critical, an HTTP fullName URI.
        generator.AddExtension(X509Extensions.CrlDistributionPoints, false, new CrlDistPoint([
            new DistributionPoint(new DistributionPointName(new GeneralNames(new GeneralName(GeneralName.UniformResourceIdentifier, crlUrl))), null, null),
        ]));

        // SBR §7.1.2.2: authorityInformationAccess, not critical, caIssuers over HTTP.
        generator.AddExtension(X509Extensions.AuthorityInfoAccess, false, new AuthorityInformationAccess(
            new AccessDescription(AccessDescription.IdADCAIssuers, new GeneralName(GeneralName.UniformResourceIdentifier, caIssuersUrl))));

        // SBR §7.1.2.2: basicConstraints critical, cA true; pathLenConstraint 0: it issues end-entity certificates only.
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(0));

        // SBR §7.1.2.2: keyUsage critical with keyCertSign and cRLSign.
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));

        // SBR §7.1.2.2: extKeyUsage id-kp-emailProtection only (technically constrained, SBR §7.1.5).
        generator.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeID.id_kp_emailProtection));

        // SBR §7.1.2.2: authorityKeyIdentifier with keyIdentifier only, and a subjectKeyIdentifier.
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(issuerSki.GetKeyIdentifier()));
        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(publicKey));
        var certificate = generator.Generate(signer);
        certificate.Verify(issuer.GetPublicKey());
        return certificate;
    }

    private static X509V3CertificateGenerator NewGenerator(
        X509Name issuer, X509Name subject, AsymmetricKeyParameter publicKey, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(CertificateSerials.Next(new SecureRandom()));
        generator.SetIssuerDN(issuer);
        generator.SetSubjectDN(subject);
        generator.SetNotBefore(TruncateToSeconds(notBefore));
        generator.SetNotAfter(TruncateToSeconds(notAfter));
        generator.SetPublicKey(publicKey);
        return generator;
    }

    private static void RequireHttp(string url, string name)
    {
        // SBR §7.1.2.2: HTTP URLs only.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"'{url}' must be an absolute http:// URL (SBR §7.1.2.2)", name);
        }
    }

    private static DateTime TruncateToSeconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
