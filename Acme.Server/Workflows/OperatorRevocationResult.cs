using Acme.Server.Storage;

namespace Acme.Server.Workflows;

/// <summary>What an operator revocation did: the certificates revoked now, and those found already revoked.</summary>
public sealed record OperatorRevocationResult(IReadOnlyList<CertificateRow> Revoked, IReadOnlyList<CertificateRow> AlreadyRevoked);
