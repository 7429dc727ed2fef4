using Acme.Server.Lifecycle;
using Acme.Server.Protocol;

namespace Acme.Server.Storage;

// Dapper row types: one per table, internal to storage and its callers in this assembly.
// Times are Unix milliseconds. Statuses are typed: Dapper reads the stored lower-case text into the enum;
// writes go through StatusParameters, since Dapper would send an enum as its number.
// Column aliases in each store's SELECT map snake_case to these names.

public sealed class AccountRow
{
    public string Id { get; set; } = "";
    public string KeyThumbprint { get; set; } = "";
    public string Jwk { get; set; } = "";
    public byte[] KeySpki { get; set; } = [];
    public string Contacts { get; set; } = "[]";
    public AccountStatus Status { get; set; }
    public long TosAgreed { get; set; }
    public string? EabKeyId { get; set; }
    public string? EabJws { get; set; }
    public long CreatedAt { get; set; }

    /// <summary>When the operator suspended the account (null: not suspended); its requests are refused meanwhile.</summary>
    public long? SuspendedAt { get; set; }
    public string? SuspendedReason { get; set; }
}

public sealed class EabKeyRow
{
    public string KeyId { get; set; } = "";
    public byte[] HmacKey { get; set; } = [];
    public string Algorithm { get; set; } = "";
    public string? AccountId { get; set; }
    public long CreatedAt { get; set; }
}

public sealed class OrderRow
{
    public string Id { get; set; } = "";
    public string AccountId { get; set; } = "";
    public OrderStatus Status { get; set; }
    public long Expires { get; set; }
    public long? NotBefore { get; set; }
    public long? NotAfter { get; set; }
    public string Profile { get; set; } = "";
    public string Identifiers { get; set; } = "[]";

    /// <summary>JSON array parallel to <see cref="Identifiers"/>: the type each was sent as; missing entries are "email".</summary>
    public string IdentifierTypes { get; set; } = "[]";
    public string? Error { get; set; }
    public string? CertificateId { get; set; }
    public string? Replaces { get; set; }
    public long? CaaCheckedAt { get; set; }
    public long? CaaValidUntil { get; set; }
    public long CreatedAt { get; set; }
    public long? ProcessingSince { get; set; }
}

public sealed class AuthorizationRow
{
    public string Id { get; set; } = "";
    public string AccountId { get; set; } = "";
    public string Identifier { get; set; } = "";

    /// <summary>The identifier type the creating order sent ("email", or "dns" under the acme_email switch).</summary>
    public string IdentifierType { get; set; } = "email";
    public AuthorizationStatus Status { get; set; }
    public long Expires { get; set; }
    public long? ValidatedAt { get; set; }
    public long CreatedAt { get; set; }
    public string? RecipientKey { get; set; }
    public string? RecipientDomain { get; set; }
}

public sealed class ChallengeRow
{
    public string Id { get; set; } = "";
    public string AuthorizationId { get; set; } = "";
    public string Type { get; set; } = "";
    public ChallengeStatus Status { get; set; }
    public string TokenPart2 { get; set; } = "";
    public string FromAddress { get; set; } = "";
    public string? TokenPart1 { get; set; }
    public long? TokenPart1CreatedAt { get; set; }
    public long? ClientRespondedAt { get; set; }
    public long? ReplyVerifiedAt { get; set; }
    public long? ValidatedAt { get; set; }
    public string? Error { get; set; }
    public long CreatedAt { get; set; }
}

public sealed class CertificateRow
{
    public string Id { get; set; } = "";
    public string Serial { get; set; } = "";
    public string OrderId { get; set; } = "";
    public string AccountId { get; set; } = "";
    public CertificateStatus Status { get; set; }
    public byte[] Der { get; set; } = [];
    public string ChainPem { get; set; } = "";
    public byte[] KeySpki { get; set; } = [];
    public string Identifiers { get; set; } = "[]";
    public long NotBefore { get; set; }
    public long NotAfter { get; set; }
    public long IssuedAt { get; set; }
    public long? RevokedAt { get; set; }
    public long? RevocationReason { get; set; }
}

public sealed class ChallengeMailRow
{
    public string Id { get; set; } = "";
    public string ChallengeId { get; set; } = "";
    public string AccountId { get; set; } = "";
    public string Recipient { get; set; } = "";
    public ChallengeMailStatus Status { get; set; }
    public long Attempts { get; set; }
    public long NextAttemptAt { get; set; }
    public long ExpiresAt { get; set; }
    public string? LastError { get; set; }
    public string? MessageId { get; set; }
    public byte[]? RawMessage { get; set; }
    public long? SentAt { get; set; }
    public long CreatedAt { get; set; }
}

public sealed class InboundReplyRow
{
    public string Id { get; set; } = "";
    public string SourceId { get; set; } = "";
    public byte[] RawMessage { get; set; } = [];
    public long ReceivedAt { get; set; }
    public string? ChallengeId { get; set; }
    public string? Outcome { get; set; }
    public string? Detail { get; set; }
    public long? ProcessedAt { get; set; }
    public long CreatedAt { get; set; }
    public long Attempts { get; set; }
    public long NextAttemptAt { get; set; }
    public string? LastError { get; set; }
}

public sealed class ChallengeEvidence
{
    public string? Method { get; set; }
    public string? ReplyId { get; set; }
    public byte[]? Mail { get; set; }
    public string? MessageId { get; set; }
    public byte[]? Reply { get; set; }
}

public sealed class CrlRow
{
    public long Number { get; set; }
    public byte[] Der { get; set; } = [];
    public long ThisUpdate { get; set; }

    /// <summary>How many certificates were revoked when it was generated: a later revocation makes it stale.</summary>
    public long RevokedCount { get; set; }
}
