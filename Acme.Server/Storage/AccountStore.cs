using System.Data.Common;
using Dapper;

namespace Acme.Server.Storage;

/// <summary>Accounts and the External Account Binding keys they bind to.</summary>
/// <param name="changes">Where status changes are noted for the metrics.</param>
public sealed class AccountStore(StatusChangeLog changes) : IAccountStore
{
    private const string Columns =
        "id AS Id, key_thumbprint AS KeyThumbprint, jwk AS Jwk, key_spki AS KeySpki, contacts AS Contacts, status AS Status, " +
        "tos_agreed AS TosAgreed, eab_key_id AS EabKeyId, eab_jws AS EabJws, created_at AS CreatedAt, " +
        "suspended_at AS SuspendedAt, suspended_reason AS SuspendedReason";

    public Task<AccountRow?> FindAsync(DbConnection c, string id) =>
        c.QuerySingleOrDefaultAsync<AccountRow>($"SELECT {Columns} FROM accounts WHERE id = @id", new { id });

    public Task<AccountRow?> FindByThumbprintAsync(DbConnection c, string thumbprint, DbTransaction? tx = null) =>
        c.QuerySingleOrDefaultAsync<AccountRow>($"SELECT {Columns} FROM accounts WHERE key_thumbprint = @thumbprint", new { thumbprint }, tx);

    public Task InsertAsync(DbConnection c, DbTransaction tx, AccountRow row) =>
        c.ExecuteAsync(
            "INSERT INTO accounts (id, key_thumbprint, jwk, key_spki, contacts, status, tos_agreed, eab_key_id, eab_jws, created_at) " +
            "VALUES (@Id, @KeyThumbprint, @Jwk, @KeySpki, @Contacts, @Status, @TosAgreed, @EabKeyId, @EabJws, @CreatedAt)",
            StatusParameters.Of(row, row.Status), tx);

    public Task UpdateContactsAsync(DbConnection c, DbTransaction tx, string id, string contactsJson) =>
        c.ExecuteAsync("UPDATE accounts SET contacts = @contactsJson WHERE id = @id", new { id, contactsJson }, tx);

    /// <summary>Compare-and-set on the old key: false when the account's key changed meanwhile.</summary>
    public async Task<bool> ReplaceKeyAsync(DbConnection c, DbTransaction tx, string id, string oldThumbprint, string newThumbprint, string newJwk, byte[] newSpki) =>
        await c.ExecuteAsync(
            "UPDATE accounts SET key_thumbprint = @newThumbprint, jwk = @newJwk, key_spki = @newSpki WHERE id = @id AND key_thumbprint = @oldThumbprint",
            new { id, oldThumbprint, newThumbprint, newJwk, newSpki }, tx) == 1;

    /// <summary>The client deactivates its account (RFC 8555 §7.3.6).</summary>
    public Task<bool> DeactivateAsync(DbConnection c, DbTransaction tx, string id) =>
        StatusWriter.AccountAsync(changes, c, tx, id, Protocol.AccountStatus.Valid, Protocol.AccountStatus.Deactivated);

    /// <summary>The operator suspends the account; false when there is no such account or it is already suspended.</summary>
    public async Task<bool> SuspendAsync(DbConnection c, DbTransaction tx, string id, long at, string reason) =>
        await c.ExecuteAsync(
            "UPDATE accounts SET suspended_at = @at, suspended_reason = @reason WHERE id = @id AND suspended_at IS NULL", new { id, at, reason }, tx) == 1;

    /// <summary>The operator lifts a suspension; false when the account was not suspended.</summary>
    public async Task<bool> ResumeAsync(DbConnection c, DbTransaction tx, string id) =>
        await c.ExecuteAsync(
            "UPDATE accounts SET suspended_at = NULL, suspended_reason = NULL WHERE id = @id AND suspended_at IS NOT NULL", new { id }, tx) == 1;

    /// <summary>Accounts, oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<AccountRow>> ListAsync(DbConnection c, int limit) =>
        (await c.QueryAsync<AccountRow>($"SELECT {Columns} FROM accounts ORDER BY created_at, id LIMIT @limit", new { limit })).AsList();

    public Task<EabKeyRow?> FindEabKeyAsync(DbConnection c, string keyId) =>
        c.QuerySingleOrDefaultAsync<EabKeyRow>(
            "SELECT key_id AS KeyId, hmac_key AS HmacKey, algorithm AS Algorithm, account_id AS AccountId, created_at AS CreatedAt FROM eab_keys WHERE key_id = @keyId",
            new { keyId });

    public Task InsertEabKeyAsync(DbConnection c, DbTransaction tx, EabKeyRow row) =>
        c.ExecuteAsync(
            "INSERT INTO eab_keys (key_id, hmac_key, algorithm, account_id, created_at) VALUES (@KeyId, @HmacKey, @Algorithm, NULL, @CreatedAt)", row, tx);

    /// <summary>Every EAB key, oldest first, with the account it is bound to (null: unused).</summary>
    public async Task<IReadOnlyList<(string KeyId, string Algorithm, string? AccountId)>> ListEabKeysAsync(DbConnection c) =>
        (await c.QueryAsync<(string, string, string?)>("SELECT key_id, algorithm, account_id FROM eab_keys ORDER BY created_at")).AsList();

    /// <summary>Binds an unused EAB key to an account; false when another account already took it.</summary>
    public async Task<bool> BindEabKeyAsync(DbConnection c, DbTransaction tx, string keyId, string accountId) =>
        await c.ExecuteAsync(
            "UPDATE eab_keys SET account_id = @accountId WHERE key_id = @keyId AND account_id IS NULL", new { keyId, accountId }, tx) == 1;
}
