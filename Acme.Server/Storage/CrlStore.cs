using System.Data.Common;
using Dapper;

namespace Acme.Server.Storage;

/// <summary>The CRLs as generated and served, by number (one per number: the first instance to generate it wins).</summary>
public sealed class CrlStore : ICrlStore
{
    public Task<CrlRow?> LatestAsync(DbConnection c, DbTransaction? tx = null) =>
        c.QueryFirstOrDefaultAsync<CrlRow>(
            "SELECT number AS Number, der AS Der, this_update AS ThisUpdate, revoked_count AS RevokedCount FROM crls " +
            "WHERE number = (SELECT MAX(number) FROM crls)", transaction: tx);

    public async Task<bool> InsertAsync(DbConnection c, DbTransaction tx, CrlRow row) =>
        await c.ExecuteAsync("INSERT INTO crls (number, der, this_update, revoked_count) VALUES (@Number, @Der, @ThisUpdate, @RevokedCount)", row, tx) == 1;
}
