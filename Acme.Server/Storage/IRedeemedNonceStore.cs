using System.Data.Common;

namespace Acme.Server.Storage;

/// <summary>The shared nonce secret and redeemed nonce ids: the store seam the workflows use (<see cref="RedeemedNonceStore"/> implements it for both engines).</summary>
public interface IRedeemedNonceStore
{
    Task<byte[]> SecretAsync(DbConnection c, DbTransaction tx, string name, byte[] candidate, long now);

    Task<bool> TryRedeemAsync(DbConnection c, string id, long expires);

    Task<int> PurgeRedeemedAsync(DbConnection c, long now);
}
