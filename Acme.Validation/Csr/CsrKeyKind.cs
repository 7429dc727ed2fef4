namespace Acme.Validation.Csr;

/// <summary>The subject public key types this CA accepts (SBR §6.1.5).</summary>
public enum CsrKeyKind
{
    /// <summary>RSA (<c>rsaEncryption</c>).</summary>
    Rsa,

    /// <summary>ECDSA on NIST P-256.</summary>
    EcP256,

    /// <summary>ECDSA on NIST P-384.</summary>
    EcP384,

    /// <summary>ECDSA on NIST P-521.</summary>
    EcP521,

    /// <summary>EdDSA with Ed25519 (OID 1.3.101.112).</summary>
    Ed25519,
}
