using Acme.Server.Storage;

namespace Acme.Server.Observability;

/// <summary>How long the oldest challenge mail still waiting to go out has waited (null: none waits).</summary>
public sealed class MailQueueAge(Database db, IOutboxStore outbox, TimeProvider time)
{
    public async Task<TimeSpan?> OldestAsync(CancellationToken ct)
    {
        var oldest = await db.ReadAsync(c => outbox.OldestWaitingCreatedAtAsync(c), ct);
        return oldest is { } createdAt ? time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(createdAt) : null;
    }
}
