using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X500;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting;

/// <summary>Reads the parts of a certificate the rules look at, with BouncyCastle.</summary>
internal static class CertificateReader
{
    /// <summary>The tbsCertificate.</summary>
    public static TbsCertificateStructure Tbs(X509Certificate certificate) => certificate.CertificateStructure.TbsCertificate;

    /// <summary>The extension, or null when absent (or the certificate has no extensions).</summary>
    public static X509Extension? Extension(X509Certificate certificate, DerObjectIdentifier oid) =>
        Tbs(certificate).Extensions?.GetExtension(oid);

    /// <summary>The parsed value of the extension, or null when absent.</summary>
    public static Asn1Object? Value(X509Certificate certificate, DerObjectIdentifier oid) =>
        Extension(certificate, oid) is { } extension ? X509Extension.ConvertValueToObject(extension) : null;

    /// <summary>The OIDs of every extension present.</summary>
    public static IEnumerable<DerObjectIdentifier> ExtensionOids(X509Certificate certificate) =>
        Tbs(certificate).Extensions?.ExtensionOids ?? [];

    /// <summary>The subjectAltName entries, or null when the extension is absent.</summary>
    public static IReadOnlyList<GeneralName>? SubjectAltNames(X509Certificate certificate) =>
        Value(certificate, X509Extensions.SubjectAlternativeName) is { } value ? GeneralNames.GetInstance(value).GetNames() : null;

    /// <summary>The certificatePolicies entries, or null when the extension is absent.</summary>
    public static PolicyInformation[]? Policies(X509Certificate certificate) =>
        Value(certificate, X509Extensions.CertificatePolicies) is { } value ? CertificatePolicies.GetInstance(value).GetPolicyInformation() : null;

    /// <summary>Every policy qualifier of every policy.</summary>
    public static IEnumerable<PolicyQualifierInfo> PolicyQualifiers(X509Certificate certificate) =>
        (Policies(certificate) ?? []).SelectMany(p => p.PolicyQualifiers?.Cast<Asn1Encodable>() ?? [])
            .Select(PolicyQualifierInfo.GetInstance);

    /// <summary>The URIs of every fullName of every cRLDistributionPoints entry (non-URI names as null).</summary>
    public static IEnumerable<GeneralName> CrlFullNames(X509Certificate certificate) =>
        Value(certificate, X509Extensions.CrlDistributionPoints) is { } value
            ? CrlDistPoint.GetInstance(value).GetDistributionPoints()
                .Select(dp => dp.DistributionPointName)
                .Where(n => n is not null && n.Type == DistributionPointName.FullName)
                .SelectMany(n => GeneralNames.GetInstance(n.Name).GetNames())
            : [];

    /// <summary>The text of a uniformResourceIdentifier name, or null for another name type.</summary>
    public static string? UriOf(GeneralName name) =>
        name.TagNo == GeneralName.UniformResourceIdentifier ? DerIA5String.GetInstance(name.Name).GetString() : null;

    /// <summary>True when <paramref name="uri"/> is an absolute http:// URL.</summary>
    public static bool IsHttp(string? uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttp && uri!.StartsWith("http://", StringComparison.Ordinal);

    /// <summary>The keyUsage bits (BouncyCastle <see cref="KeyUsage"/> flags), or null when absent.</summary>
    public static int? KeyUsageBits(X509Certificate certificate)
    {
        if (Value(certificate, X509Extensions.KeyUsage) is not { } value)
        {
            return null;
        }

        // DerBitString.IntValue uses the same bit layout as the KeyUsage constants.
        return KeyUsage.GetInstance(value).IntValue;
    }

    /// <summary>The extKeyUsage purposes, or null when the extension is absent.</summary>
    public static IReadOnlyList<DerObjectIdentifier>? ExtendedKeyUsages(X509Certificate certificate) =>
        Value(certificate, X509Extensions.ExtendedKeyUsage) is { } value ? [.. ExtendedKeyUsage.GetInstance(value).GetAllUsages()] : null;

    /// <summary>The authorityKeyIdentifier, or null when absent.</summary>
    public static AuthorityKeyIdentifier? Aki(X509Certificate certificate) =>
        Value(certificate, X509Extensions.AuthorityKeyIdentifier) is { } value ? AuthorityKeyIdentifier.GetInstance(value) : null;

    /// <summary>The authorityInformationAccess entries, or an empty array when absent.</summary>
    public static AccessDescription[] AccessDescriptions(X509Certificate certificate) =>
        Value(certificate, X509Extensions.AuthorityInfoAccess) is { } value ? AuthorityInformationAccess.GetInstance(value).GetAccessDescriptions() : [];

    /// <summary>The mailbox addresses of the SAN: rfc822Name and SmtpUTF8Mailbox values.</summary>
    public static IEnumerable<string> SanMailboxes(X509Certificate certificate) =>
        (SubjectAltNames(certificate) ?? []).Select(MailboxOf).OfType<string>();

    /// <summary>The address of an rfc822Name or SmtpUTF8Mailbox entry; null for any other name.</summary>
    public static string? MailboxOf(GeneralName name) => name.TagNo switch
    {
        GeneralName.Rfc822Name => DerIA5String.GetInstance(name.Name).GetString(),
        GeneralName.OtherName when OtherName.GetInstance(name.Name) is var other && other.TypeID.Equals(LintOids.SmtpUtf8Mailbox)
            => DerUtf8String.GetInstance(other.Value).GetString(),
        _ => null,
    };

    /// <summary>Every attribute of the subject DN, in order.</summary>
    public static IEnumerable<AttributeTypeAndValue> SubjectAttributes(X509Certificate certificate) =>
        Asn1Sequence.GetInstance(Tbs(certificate).Subject.ToAsn1Object())
            .Cast<Asn1Encodable>()
            .SelectMany(rdn => Asn1Set.GetInstance(rdn).Cast<Asn1Encodable>())
            .Select(AttributeTypeAndValue.GetInstance);

    /// <summary>The string value of an attribute, or its DER in hex when it is not a string type.</summary>
    public static string AttributeText(AttributeTypeAndValue attribute) =>
        attribute.Value is IAsn1String text ? text.GetString() : Convert.ToHexString(attribute.Value.GetDerEncoded());

    /// <summary>True when the subject DN is an empty sequence.</summary>
    public static bool SubjectIsEmpty(X509Certificate certificate) =>
        Asn1Sequence.GetInstance(Tbs(certificate).Subject.ToAsn1Object()).Count == 0;

    /// <summary>The key family from the SubjectPublicKeyInfo algorithm OID.</summary>
    public static SubjectKeyFamily KeyFamily(X509Certificate certificate) => KeyFamily(certificate.SubjectPublicKeyInfo);

    /// <summary>The key family from the SubjectPublicKeyInfo algorithm OID.</summary>
    public static SubjectKeyFamily KeyFamily(SubjectPublicKeyInfo info)
    {
        var oid = info.Algorithm.Algorithm;
        if (oid.Equals(LintOids.RsaEncryption))
        {
            return SubjectKeyFamily.Rsa;
        }

        if (oid.Equals(LintOids.EcPublicKey))
        {
            return SubjectKeyFamily.Ec;
        }

        return oid.Equals(LintOids.Ed25519) || oid.Equals(LintOids.Ed448) ? SubjectKeyFamily.EdDsa : SubjectKeyFamily.Other;
    }

    /// <summary>The DER of an AlgorithmIdentifier as lower-case hex.</summary>
    public static string Hex(AlgorithmIdentifier algorithm) => Convert.ToHexStringLower(algorithm.GetDerEncoded());
}
