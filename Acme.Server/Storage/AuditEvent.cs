namespace Acme.Server.Storage;

/// <summary>One audit record (SBR 5.4.1): what happened, when, who caused it, and the resources involved.</summary>
public sealed record AuditEvent(string Event, string Actor, string Detail)
{
    public string? AccountId { get; init; }
    public string? OrderId { get; init; }
    public string? AuthorizationId { get; init; }
    public string? ChallengeId { get; init; }
    public string? CertificateSerial { get; init; }
}
