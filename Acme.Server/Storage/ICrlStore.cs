using System.Data.Common;

namespace Acme.Server.Storage;

/// <summary>The CRLs as generated and served: the store seam the workflows use (<see cref="CrlStore"/> implements it for both engines).</summary>
public interface ICrlStore
{
    Task<CrlRow?> LatestAsync(DbConnection c, DbTransaction? tx = null);

    Task<bool> InsertAsync(DbConnection c, DbTransaction tx, CrlRow row);
}
