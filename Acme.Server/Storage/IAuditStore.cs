using System.Data.Common;

namespace Acme.Server.Storage;

/// <summary>The append-only audit trail and the validation evidence: the store seam the workflows use (<see cref="AuditStore"/> implements it for both engines).</summary>
public interface IAuditStore
{
    Task AppendAsync(DbConnection c, DbTransaction tx, AuditEvent e);

    /// <summary>Appends the events in their order (one statement for a few).</summary>
    Task AppendAsync(DbConnection c, DbTransaction tx, IReadOnlyList<AuditEvent> events);

    Task<ChallengeEvidence> EvidenceOfChallengeAsync(DbConnection c, string challengeId);

    Task<IReadOnlyList<(long At, string Actor, string Event, string Detail)>> ForResourcesAsync( DbConnection c, IReadOnlyCollection<string> orderIds, IReadOnlyCollection<string> authorizationIds, IReadOnlyCollection<string> challengeIds, string? serial);
}
