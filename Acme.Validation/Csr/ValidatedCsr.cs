using Acme.Validation.Identifiers;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;

namespace Acme.Validation.Csr;

/// <summary>
/// A PKCS#10 request that passed every check of <see cref="CsrValidator"/>: what the CA needs to
/// build a certificate. The CSR subject is deliberately absent: the CA builds the subject itself.
/// </summary>
/// <param name="SubjectPublicKeyInfo">The subject public key as found in the CSR.</param>
/// <param name="SubjectPublicKeyInfoDer">The DER encoding of <paramref name="SubjectPublicKeyInfo"/>.</param>
/// <param name="PublicKey">The parsed public key.</param>
/// <param name="KeyKind">The accepted key type.</param>
/// <param name="KeySizeBits">The key size: RSA modulus bits, curve field bits, or 256 for Ed25519.</param>
/// <param name="Usage">The key usage class the CSR asks for (RFC 8823 §3.3).</param>
/// <param name="Mailboxes">The normalized mailbox addresses, in the CSR's subjectAltName order.</param>
public sealed record ValidatedCsr(
    SubjectPublicKeyInfo SubjectPublicKeyInfo,
    byte[] SubjectPublicKeyInfoDer,
    AsymmetricKeyParameter PublicKey,
    CsrKeyKind KeyKind,
    int KeySizeBits,
    RequestedKeyUsage Usage,
    IReadOnlyList<NormalizedMailbox> Mailboxes)
{
    /// <summary>Set when the requested encryption bit was mapped to the one the key type uses (RFC 8823 §3.3); recorded in the audit trail.</summary>
    public string? UsageMapping { get; init; }
}
