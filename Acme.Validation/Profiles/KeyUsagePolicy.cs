using Acme.Validation.Csr;
using Acme.Validation.Outcomes;
using Org.BouncyCastle.Asn1.X509;

namespace Acme.Validation.Profiles;

/// <summary>
/// Chooses the keyUsage bits of a subscriber certificate from the key type and the requested
/// usage, following the SBR §7.1.2.3(e) table. nonRepudiation is never set by this CA.
/// </summary>
public static class KeyUsagePolicy
{
    /// <summary>
    /// Returns the BouncyCastle <see cref="KeyUsage"/> bits for the certificate, or a
    /// <see cref="FailureKind.BadCsr"/> failure when the key type cannot serve the usage.
    /// </summary>
    /// <param name="kind">The subject key type.</param>
    /// <param name="usage">The usage class the CSR asks for.</param>
    /// <param name="profile">The certificate profile.</param>
    public static ValidationOutcome<int> Decide(CsrKeyKind kind, RequestedKeyUsage usage, CertificateProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);

        // SBR 7.1.2.3(e): only the bits of the key type's row; unlisted bits SHALL NOT be set.
        switch (kind)
        {
            case CsrKeyKind.Rsa:
                return Success(usage switch
                {
                    RequestedKeyUsage.Signing => KeyUsage.DigitalSignature,
                    RequestedKeyUsage.Encryption => KeyUsage.KeyEncipherment,
                    _ => KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment,
                });

            case CsrKeyKind.EcP256 or CsrKeyKind.EcP384 or CsrKeyKind.EcP521:
                return Success(usage switch
                {
                    RequestedKeyUsage.Signing => KeyUsage.DigitalSignature,
                    RequestedKeyUsage.Encryption => KeyUsage.KeyAgreement,
                    _ => KeyUsage.DigitalSignature | KeyUsage.KeyAgreement,
                });

            case CsrKeyKind.Ed25519:
                return usage == RequestedKeyUsage.Signing
                    ? Success(KeyUsage.DigitalSignature)
                    : ValidationOutcome<int>.Fail(
                        FailureKind.BadCsr,
                        $"Ed25519 keys can only sign; a {usage.ToString().ToLowerInvariant()} certificate is not possible (SBR §7.1.2.3(e))");

            default:
                return ValidationOutcome<int>.Fail(FailureKind.BadCsr, $"the key type {kind} has no key-usage rule");
        }
    }

    private static ValidationOutcome<int> Success(int bits) => ValidationOutcome<int>.Success(bits);
}
