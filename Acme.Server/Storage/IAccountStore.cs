using System.Data.Common;

namespace Acme.Server.Storage;

/// <summary>Accounts and their External Account Binding keys: the store seam the workflows use (<see cref="AccountStore"/> implements it for both engines).</summary>
public interface IAccountStore
{
    Task<AccountRow?> FindAsync(DbConnection c, string id);

    Task<AccountRow?> FindByThumbprintAsync(DbConnection c, string thumbprint, DbTransaction? tx = null);

    Task InsertAsync(DbConnection c, DbTransaction tx, AccountRow row);

    Task UpdateContactsAsync(DbConnection c, DbTransaction tx, string id, string contactsJson);

    Task<bool> ReplaceKeyAsync(DbConnection c, DbTransaction tx, string id, string oldThumbprint, string newThumbprint, string newJwk, byte[] newSpki);

    Task<bool> DeactivateAsync(DbConnection c, DbTransaction tx, string id);

    Task<bool> SuspendAsync(DbConnection c, DbTransaction tx, string id, long at, string reason);

    Task<bool> ResumeAsync(DbConnection c, DbTransaction tx, string id);

    Task<IReadOnlyList<AccountRow>> ListAsync(DbConnection c, int limit);

    Task<EabKeyRow?> FindEabKeyAsync(DbConnection c, string keyId);

    Task InsertEabKeyAsync(DbConnection c, DbTransaction tx, EabKeyRow row);

    Task<IReadOnlyList<(string KeyId, string Algorithm, string? AccountId)>> ListEabKeysAsync(DbConnection c);

    Task<bool> BindEabKeyAsync(DbConnection c, DbTransaction tx, string keyId, string accountId);
}
