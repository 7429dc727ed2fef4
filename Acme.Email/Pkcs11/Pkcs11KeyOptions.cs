namespace Acme.Email.Pkcs11;

/// <summary>
/// Where a private key lives in a PKCS#11 token (an HSM, or SoftHSM for testing). Bound from a
/// sub-section such as <c>Issuance:Pkcs11</c> or <c>Dkim:Pkcs11</c>; the key never leaves the token.
/// </summary>
public sealed class Pkcs11KeyOptions
{
    /// <summary>Path of the PKCS#11 module, e.g. <c>/usr/lib/softhsm/libsofthsm2.so</c>. Null or empty: no token key.</summary>
    public string? Library { get; set; }

    /// <summary>The label of the token that holds the key.</summary>
    public string? TokenLabel { get; set; }

    /// <summary>The <c>CKA_LABEL</c> of the private key object.</summary>
    public string? KeyLabel { get; set; }

    /// <summary>A file holding the user PIN (its first line); the PIN is never given inline.</summary>
    public string? PinFile { get; set; }

    /// <summary>True when a PKCS#11 library is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Library);
}
