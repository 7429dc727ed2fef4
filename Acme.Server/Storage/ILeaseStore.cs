using System.Data.Common;

namespace Acme.Server.Storage;

/// <summary>Named leases for work one instance does at a time: the store seam the workflows use (<see cref="LeaseStore"/> implements it for both engines).</summary>
public interface ILeaseStore
{
    Task<bool> TryHoldAsync(DbConnection c, string name, string holder, long now, long until);

    Task<int> ReleaseAsync(DbConnection c, string name, string holder);
}
