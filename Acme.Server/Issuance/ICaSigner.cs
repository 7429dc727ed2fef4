using Acme.Validation.Csr;
using Org.BouncyCastle.Crypto;

namespace Acme.Server.Issuance;

/// <summary>
/// The issuing CA's signing key, wherever it lives (a PEM file, a PKCS#11 token). Certificates and CRLs are
/// signed through <see cref="CreateSignatureFactory"/>; the private key itself is never handed out.
/// </summary>
public interface ICaSigner
{
    /// <summary>The public half of the signing key.</summary>
    AsymmetricKeyParameter PublicKey { get; }

    /// <summary>The BouncyCastle signature algorithm name, e.g. <c>SHA384WITHECDSA</c> (SBR §7.1.3.2).</summary>
    string SignatureAlgorithm { get; }

    /// <summary>The key's kind, so the lint preview can be signed with a throwaway key of the same algorithm.</summary>
    CsrKeyKind KeyKind { get; }

    /// <summary>A signature factory for one certificate or CRL.</summary>
    ISignatureFactory CreateSignatureFactory();
}
