namespace Acme.Validation.Csr;

/// <summary>
/// What the CSR's keyUsage request asks for, in the three classes RFC 8823 §3.3 defines.
/// </summary>
public enum RequestedKeyUsage
{
    /// <summary>Only digitalSignature and/or nonRepudiation: a signing-only certificate.</summary>
    Signing,

    /// <summary>Only keyEncipherment and/or keyAgreement: an encryption-only certificate.</summary>
    Encryption,

    /// <summary>Bits of both sets, or no keyUsage request at all: a dual-use certificate.</summary>
    Dual,
}
