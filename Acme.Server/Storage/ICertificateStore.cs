using System.Data.Common;

namespace Acme.Server.Storage;

/// <summary>Issued certificates and their revocation: the store seam the workflows use (<see cref="CertificateStore"/> implements it for both engines).</summary>
public interface ICertificateStore
{
    Task<CertificateRow?> FindAsync(DbConnection c, string id);

    Task<CertificateRow?> FindBySerialAsync(DbConnection c, string serial);

    Task InsertAsync(DbConnection c, DbTransaction tx, CertificateRow row);

    Task<bool> RevokeAsync(DbConnection c, DbTransaction tx, string id, long revokedAt, int? reason);

    Task<IReadOnlyList<CertificateRow>> SearchAsync(DbConnection c, CertificateSearch search);

    Task<long> CountRevokedAsync(DbConnection c, DbTransaction? tx = null);

    Task<IReadOnlyList<CertificateRow>> RevokedUnexpiredAsync(DbConnection c, long now, DbTransaction? tx = null);
}
