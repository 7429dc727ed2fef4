using System.Data.Common;
using Dapper;

namespace Acme.Server.Storage;

/// <summary>Issued certificates and their revocation state.</summary>
/// <param name="changes">Where issued (created) and revoked certificates are noted for the metrics.</param>
public sealed class CertificateStore(StatusChangeLog changes) : ICertificateStore
{
    private const string Columns =
        "id AS Id, serial AS Serial, order_id AS OrderId, account_id AS AccountId, status AS Status, der AS Der, " +
        "chain_pem AS ChainPem, key_spki AS KeySpki, identifiers AS Identifiers, not_before AS NotBefore, not_after AS NotAfter, " +
        "issued_at AS IssuedAt, revoked_at AS RevokedAt, revocation_reason AS RevocationReason";

    public Task<CertificateRow?> FindAsync(DbConnection c, string id) =>
        c.QuerySingleOrDefaultAsync<CertificateRow>($"SELECT {Columns} FROM certificates WHERE id = @id", new { id });

    public Task<CertificateRow?> FindBySerialAsync(DbConnection c, string serial) =>
        c.QuerySingleOrDefaultAsync<CertificateRow>($"SELECT {Columns} FROM certificates WHERE serial = @serial", new { serial });

    public async Task InsertAsync(DbConnection c, DbTransaction tx, CertificateRow row)
    {
        await c.ExecuteAsync(
            "INSERT INTO certificates (id, serial, order_id, account_id, status, der, chain_pem, key_spki, identifiers, not_before, not_after, issued_at) " +
            "VALUES (@Id, @Serial, @OrderId, @AccountId, @Status, @Der, @ChainPem, @KeySpki, @Identifiers, @NotBefore, @NotAfter, @IssuedAt)",
            StatusParameters.Of(row, row.Status), tx);
        changes.Note(tx, new StatusChange("certificate", StatusChange.Created, Protocol.StatusText.Of(row.Status)));
    }

    /// <summary>valid → revoked, once, with the time and the CRL reason code (RFC 5280 §5.3.1; null: none given).</summary>
    public Task<bool> RevokeAsync(DbConnection c, DbTransaction tx, string id, long revokedAt, int? reason) =>
        StatusWriter.CertificateAsync(changes, c, tx, id, Protocol.CertificateStatus.Valid, Protocol.CertificateStatus.Revoked,
            new StatusWriter.Column("revoked_at", revokedAt), new StatusWriter.Column("revocation_reason", reason));

    /// <summary>
    /// Certificates matching every given filter, newest first, at most <see cref="CertificateSearch.Limit"/>. An address
    /// matches one of the certificate's mailboxes, ignoring ASCII case; it is compared in the stored JSON form.
    /// </summary>
    public async Task<IReadOnlyList<CertificateRow>> SearchAsync(DbConnection c, CertificateSearch search)
    {
        var where = new List<string>();
        var parameters = new DynamicParameters();
        void Filter(string condition, string name, object? value)
        {
            if (value is not null)
            {
                where.Add(condition);
                parameters.Add(name, value);
            }
        }

        Filter("LOWER(identifiers) LIKE @address ESCAPE '!'", "address", search.Address is { } a ? "%" + LikeEscaped(JsonText(a).ToLowerInvariant()) + "%" : null);
        Filter("account_id = @account", "account", search.AccountId);
        Filter("serial = @serial", "serial", search.Serial);
        Filter("issued_at >= @after", "after", search.IssuedAfter);
        Filter("issued_at < @before", "before", search.IssuedBefore);
        Filter("key_spki = @spki", "spki", search.KeySpki);
        parameters.Add("limit", search.Limit);
        var sql = $"SELECT {Columns} FROM certificates {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))} ORDER BY issued_at DESC, id LIMIT @limit";
        return (await c.QueryAsync<CertificateRow>(sql, parameters)).AsList();
    }

    // The address as a JSON string, quotes included, escaped as the identifiers column was written.
    private static string JsonText(string address) => System.Text.Json.JsonSerializer.Serialize(address, Protocol.AcmeJsonContext.Default.String);

    private static string LikeEscaped(string text) => text.Replace("!", "!!", StringComparison.Ordinal).Replace("%", "!%", StringComparison.Ordinal).Replace("_", "!_", StringComparison.Ordinal);

    /// <summary>How many certificates were ever revoked (only grows): a CRL generated at a lower count is stale.</summary>
    public Task<long> CountRevokedAsync(DbConnection c, DbTransaction? tx = null) =>
        c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM certificates WHERE status = 'revoked'", transaction: tx);

    /// <summary>Revoked certificates that have not expired, for the CRL (uses ix_certificates_status).</summary>
    public async Task<IReadOnlyList<CertificateRow>> RevokedUnexpiredAsync(DbConnection c, long now, DbTransaction? tx = null) =>
        (await c.QueryAsync<CertificateRow>(
            $"SELECT {Columns} FROM certificates WHERE status = 'revoked' AND not_after > @now ORDER BY revoked_at", new { now }, tx)).AsList();
}
