using Acme.Validation.Csr;
using Acme.Validation.Identifiers;
using Acme.Validation.Profiles;

namespace Acme.Server.Issuance;

/// <summary>One certificate to issue.</summary>
/// <param name="Csr">The validated CSR.</param>
/// <param name="Mailboxes">The order's normalized mailboxes, in the order they go into the SAN.</param>
/// <param name="Profile">The certificate profile.</param>
/// <param name="NotBefore">The requested notBefore, already checked by the caller; null for the default.</param>
/// <param name="NotAfter">The requested notAfter, already checked by the caller; null for the default.</param>
public sealed record IssuanceRequest(
    ValidatedCsr Csr,
    IReadOnlyList<NormalizedMailbox> Mailboxes,
    CertificateProfile Profile,
    DateTimeOffset? NotBefore,
    DateTimeOffset? NotAfter)
{
    /// <summary>The serial to sign with, chosen (and recorded) by the caller before signing; null for a fresh random one.</summary>
    public Org.BouncyCastle.Math.BigInteger? Serial { get; init; }
}
