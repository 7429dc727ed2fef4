using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;

namespace Acme.Validation.Signatures;

/// <summary>
/// Checks signatures over DER data (a CSR's CertificationRequestInfo, a certificate's tbsCertificate) with .NET's
/// OpenSSL-backed ECDsa or RSA instead of BouncyCastle's arithmetic (issue 13). ECDSA with SHA-256/384/512 on a named
/// NIST curve and RSA PKCS#1 v1.5 with SHA-256/384/512; anything else (RSA-PSS, Ed25519, other curves) answers null
/// and the caller keeps BouncyCastle's check. An instance holds one imported key, for a signer checked again and again
/// (the CA); <see cref="TryVerify(SubjectPublicKeyInfo, AlgorithmIdentifier, byte[], byte[])"/> checks once.
/// </summary>
public sealed class DotNetSignatureCheck : IDisposable
{
    private readonly AsymmetricAlgorithm? _key;
    private readonly Lock _gate = new();

    /// <summary>Imports <paramref name="key"/> when it is an EC key on a NIST curve or an RSA key; any other key answers null.</summary>
    /// <param name="key">The signer's SubjectPublicKeyInfo.</param>
    /// <exception cref="CryptographicException">The key cannot be read.</exception>
    public DotNetSignatureCheck(SubjectPublicKeyInfo key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var keyType = key.Algorithm.Algorithm;
        if (keyType.Equals(X9ObjectIdentifiers.IdECPublicKey) && NistCurves.Find(key.Algorithm.Parameters?.ToAsn1Object() as DerObjectIdentifier) is not null)
        {
            var ec = ECDsa.Create();
            ec.ImportSubjectPublicKeyInfo(key.GetDerEncoded(), out _);
            _key = ec;
        }
        else if (keyType.Equals(PkcsObjectIdentifiers.RsaEncryption))
        {
            var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(key.GetDerEncoded(), out _);
            _key = rsa;
        }
    }

    /// <summary>Checks one signature with a key imported for this call only.</summary>
    /// <param name="key">The signer's SubjectPublicKeyInfo.</param>
    /// <param name="algorithm">The signature AlgorithmIdentifier of the signed structure.</param>
    /// <param name="signed">The DER bytes that were signed.</param>
    /// <param name="signature">The signature value (DER SEQUENCE of r and s for ECDSA).</param>
    /// <returns>True or false when .NET checked the signature; null when it does not handle this key and algorithm.</returns>
    /// <exception cref="CryptographicException">The key cannot be read.</exception>
    public static bool? TryVerify(SubjectPublicKeyInfo key, AlgorithmIdentifier algorithm, byte[] signed, byte[] signature)
    {
        using var check = new DotNetSignatureCheck(key);
        return check.TryVerify(algorithm, signed, signature);
    }

    /// <summary>True or false when .NET checked the signature with this instance's key; null when it does not handle the pair.</summary>
    /// <param name="algorithm">The signature AlgorithmIdentifier of the signed structure.</param>
    /// <param name="signed">The DER bytes that were signed.</param>
    /// <param name="signature">The signature value (DER SEQUENCE of r and s for ECDSA).</param>
    public bool? TryVerify(AlgorithmIdentifier algorithm, byte[] signed, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(signed);
        ArgumentNullException.ThrowIfNull(signature);
        var oid = algorithm.Algorithm;
        lock (_gate)
        {
            if (_key is ECDsa ec && EcdsaHash(oid) is { } ecHash && HasNoParameters(algorithm))
            {
                return ec.VerifyData(signed, signature, ecHash, DSASignatureFormat.Rfc3279DerSequence);
            }

            if (_key is RSA rsa && RsaHash(oid) is { } rsaHash)
            {
                return rsa.VerifyData(signed, signature, rsaHash, RSASignaturePadding.Pkcs1);
            }
        }

        return null;
    }

    /// <summary>Frees the imported key.</summary>
    public void Dispose() => _key?.Dispose();

    private static HashAlgorithmName? EcdsaHash(DerObjectIdentifier oid) =>
        oid.Equals(X9ObjectIdentifiers.ECDsaWithSha256) ? HashAlgorithmName.SHA256
        : oid.Equals(X9ObjectIdentifiers.ECDsaWithSha384) ? HashAlgorithmName.SHA384
        : oid.Equals(X9ObjectIdentifiers.ECDsaWithSha512) ? HashAlgorithmName.SHA512
        : null;

    private static HashAlgorithmName? RsaHash(DerObjectIdentifier oid) =>
        oid.Equals(PkcsObjectIdentifiers.Sha256WithRsaEncryption) ? HashAlgorithmName.SHA256
        : oid.Equals(PkcsObjectIdentifiers.Sha384WithRsaEncryption) ? HashAlgorithmName.SHA384
        : oid.Equals(PkcsObjectIdentifiers.Sha512WithRsaEncryption) ? HashAlgorithmName.SHA512
        : null;

    // RFC 5758 §3.2: the ECDSA AlgorithmIdentifiers carry no parameters.
    private static bool HasNoParameters(AlgorithmIdentifier algorithm) => algorithm.Parameters is null;
}
