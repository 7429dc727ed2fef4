using Acme.Validation.Identifiers;
using Acme.Validation.Profiles;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Math;

namespace Acme.Tests.Support.Certificates;

/// <summary>
/// Everything <see cref="BrokenCertificateFactory"/> puts into a leaf certificate; a test changes
/// exactly one thing to make a broken variant.
/// </summary>
public sealed class CertificateRecipe
{
    /// <summary>The profile the certificate is meant for.</summary>
    public required CertificateProfile Profile { get; set; }

    /// <summary>The subject key pair.</summary>
    public required AsymmetricCipherKeyPair Key { get; set; }

    /// <summary>A SubjectPublicKeyInfo to place instead of <see cref="Key"/>'s.</summary>
    public SubjectPublicKeyInfo? PublicKeyInfo { get; set; }

    /// <summary>The subject DN.</summary>
    public required X509Name Subject { get; set; }

    /// <summary>The issuer DN.</summary>
    public required X509Name Issuer { get; set; }

    /// <summary>The serial number.</summary>
    public required BigInteger Serial { get; set; }

    /// <summary>notBefore.</summary>
    public DateTime NotBefore { get; set; }

    /// <summary>notAfter.</summary>
    public DateTime NotAfter { get; set; }

    /// <summary>The mailboxes the lint context says were validated.</summary>
    public required List<NormalizedMailbox> ValidatedMailboxes { get; init; }

    /// <summary>The extensions, in order.</summary>
    public List<(DerObjectIdentifier Oid, bool Critical, Asn1Encodable Value)> Extensions { get; } = [];

    /// <summary>Builds a version 1 certificate (no extensions) instead of version 3.</summary>
    public bool Version1 { get; set; }

    /// <summary>Signs with this key and algorithm instead of the CA's.</summary>
    public (AsymmetricKeyParameter Key, string Algorithm)? Signer { get; set; }

    /// <summary>Writes this AlgorithmIdentifier as the signature algorithm (tbs and outer) instead of the real one.</summary>
    public AlgorithmIdentifier? SignatureAlgorithmLabel { get; set; }

    /// <summary>Replaces only the outer signatureAlgorithm after signing.</summary>
    public AlgorithmIdentifier? OuterSignatureAlgorithm { get; set; }

    /// <summary>Adds or replaces an extension.</summary>
    public CertificateRecipe Set(DerObjectIdentifier oid, bool critical, Asn1Encodable value)
    {
        var index = Extensions.FindIndex(e => e.Oid.Equals(oid));
        if (index >= 0)
        {
            Extensions[index] = (oid, critical, value);
        }
        else
        {
            Extensions.Add((oid, critical, value));
        }

        return this;
    }

    /// <summary>Removes an extension.</summary>
    public CertificateRecipe Remove(DerObjectIdentifier oid)
    {
        Extensions.RemoveAll(e => e.Oid.Equals(oid));
        return this;
    }

    /// <summary>Changes the criticality of a present extension.</summary>
    public CertificateRecipe Critical(DerObjectIdentifier oid, bool critical)
    {
        var index = Extensions.FindIndex(e => e.Oid.Equals(oid));
        Extensions[index] = (oid, critical, Extensions[index].Value);
        return this;
    }
}
