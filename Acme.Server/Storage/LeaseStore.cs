using System.Data.Common;
using Dapper;

namespace Acme.Server.Storage;

/// <summary>Named leases: work that one instance at a time may do.</summary>
public sealed class LeaseStore : ILeaseStore
{
    /// <summary>
    /// Takes the lease, or renews it for its holder, until <paramref name="until"/>: true when
    /// <paramref name="holder"/> holds it now; false while another holder's lease runs.
    /// </summary>
    public async Task<bool> TryHoldAsync(DbConnection c, string name, string holder, long now, long until) =>
        await c.ExecuteAsync(
            "INSERT INTO leases (name, holder, until) VALUES (@name, @holder, @until) " +
            "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until " +
            "WHERE leases.holder = excluded.holder OR leases.until <= @now",
            new { name, holder, now, until }) == 1;

    /// <summary>Gives the lease up at once (shutdown), so another instance need not wait for it to run out.</summary>
    public Task<int> ReleaseAsync(DbConnection c, string name, string holder) =>
        c.ExecuteAsync("DELETE FROM leases WHERE name = @name AND holder = @holder", new { name, holder });
}
