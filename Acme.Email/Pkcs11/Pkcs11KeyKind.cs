namespace Acme.Email.Pkcs11;

/// <summary>The kinds of token key this server signs with.</summary>
public enum Pkcs11KeyKind
{
    /// <summary>ECDSA on NIST P-256, signing SHA-256 digests.</summary>
    EcP256,

    /// <summary>ECDSA on NIST P-384, signing SHA-384 digests.</summary>
    EcP384,

    /// <summary>RSA, PKCS#1 v1.5 over a SHA-256 DigestInfo.</summary>
    Rsa,
}
