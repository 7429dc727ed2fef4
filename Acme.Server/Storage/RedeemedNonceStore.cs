using System.Data.Common;
using Dapper;

namespace Acme.Server.Storage;

/// <summary>The shared nonce secret and the redeemed nonce ids (<see cref="Nonces.SharedNonceStore"/>).</summary>
public sealed class RedeemedNonceStore : IRedeemedNonceStore
{
    /// <summary>Stores <paramref name="candidate"/> under <paramref name="name"/> unless a value is there, and returns the stored one.</summary>
    public async Task<byte[]> SecretAsync(DbConnection c, DbTransaction tx, string name, byte[] candidate, long now)
    {
        await c.ExecuteAsync(
            "INSERT INTO server_secrets (name, value, created_at) VALUES (@name, @candidate, @now) ON CONFLICT (name) DO NOTHING",
            new { name, candidate, now }, tx);
        return await c.QuerySingleAsync<byte[]>("SELECT value FROM server_secrets WHERE name = @name", new { name }, tx);
    }

    /// <summary>Records a redemption; false when the id was redeemed before (a replay).</summary>
    public async Task<bool> TryRedeemAsync(DbConnection c, string id, long expires) =>
        await c.ExecuteAsync("INSERT INTO redeemed_nonces (id, expires) VALUES (@id, @expires) ON CONFLICT (id) DO NOTHING", new { id, expires }) == 1;

    /// <summary>Drops redeemed ids whose nonce has expired: they can no longer be presented.</summary>
    public Task<int> PurgeRedeemedAsync(DbConnection c, long now) =>
        c.ExecuteAsync("DELETE FROM redeemed_nonces WHERE expires <= @now", new { now });
}
