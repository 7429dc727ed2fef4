namespace Acme.Validation.Linting;

/// <summary>The family of a certificate's subject public key, from the SubjectPublicKeyInfo algorithm OID.</summary>
internal enum SubjectKeyFamily
{
    /// <summary>rsaEncryption.</summary>
    Rsa,

    /// <summary>id-ecPublicKey.</summary>
    Ec,

    /// <summary>Ed25519 or Ed448.</summary>
    EdDsa,

    /// <summary>Anything else.</summary>
    Other,
}
