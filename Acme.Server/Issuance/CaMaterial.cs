using System.Collections.ObjectModel;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace Acme.Server.Issuance;

/// <summary>
/// The issuing CA: its certificate, its signing key (<see cref="ICaSigner"/>: a file key or a token key), the
/// certificates above it, and the chain text served after the leaf.
/// </summary>
public sealed class CaMaterial : IDisposable
{
    private readonly byte[] _subjectKeyIdentifier;

    /// <summary>Creates the material with an in-memory private key (<see cref="FileCaSigner"/>).</summary>
    /// <param name="certificate">The issuing CA certificate.</param>
    /// <param name="privateKey">The issuing CA private key.</param>
    /// <param name="chainAbove">The certificates above the issuing CA, nearest first (may be empty).</param>
    public CaMaterial(X509Certificate certificate, AsymmetricKeyParameter privateKey, IEnumerable<X509Certificate> chainAbove)
        : this(certificate, new FileCaSigner(privateKey ?? throw new ArgumentNullException(nameof(privateKey))), chainAbove)
    {
    }

    /// <summary>Creates the material; checks that the signer's public key is the certificate's.</summary>
    /// <param name="certificate">The issuing CA certificate.</param>
    /// <param name="signer">The issuing CA signing key.</param>
    /// <param name="chainAbove">The certificates above the issuing CA, nearest first (may be empty).</param>
    public CaMaterial(X509Certificate certificate, ICaSigner signer, IEnumerable<X509Certificate> chainAbove)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(chainAbove);
        if (!signer.PublicKey.Equals(certificate.GetPublicKey()))
        {
            throw new ArgumentException("the CA signing key does not belong to the CA certificate", nameof(signer));
        }

        Certificate = certificate;
        Signer = signer;
        ChainAbove = new ReadOnlyCollection<X509Certificate>(chainAbove.ToList());

        // SBR §7.1.2.3(g): subscriber AKIs carry the issuing CA's key identifier.
        var ski = X509ExtensionUtilities.GetSubjectKeyIdentifier(certificate)
            ?? X509ExtensionUtilities.CreateSubjectKeyIdentifier(certificate.GetPublicKey());
        _subjectKeyIdentifier = ski.GetKeyIdentifier();

        // RFC 8555 erratum 5983: each PEM block ends with one "\n", no blank lines between blocks.
        ChainPem = string.Concat(new[] { certificate }.Concat(ChainAbove).Select(PemText.Certificate));
    }

    /// <summary>The issuing CA certificate.</summary>
    public X509Certificate Certificate { get; }

    /// <summary>The issuing CA signing key.</summary>
    public ICaSigner Signer { get; }

    /// <summary>The certificates above the issuing CA, nearest first.</summary>
    public IReadOnlyList<X509Certificate> ChainAbove { get; }

    /// <summary>The issuing CA's subject key identifier (a copy).</summary>
    public byte[] SubjectKeyIdentifier => (byte[])_subjectKeyIdentifier.Clone();

    /// <summary>The issuing CA certificate then the certificates above it, as PEM.</summary>
    public string ChainPem { get; }

    /// <summary>Releases a token session held by the signer.</summary>
    public void Dispose() => (Signer as IDisposable)?.Dispose();
}
