namespace Acme.Server.Issuance;

/// <summary>Issues a subscriber certificate for a validated CSR.</summary>
public interface ICertificateIssuer
{
    /// <summary>Builds, signs and self-checks the certificate.</summary>
    /// <param name="request">What to certify.</param>
    /// <param name="ct">Cancellation.</param>
    Task<IssuedCertificate> IssueAsync(IssuanceRequest request, CancellationToken ct);
}
