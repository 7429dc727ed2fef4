namespace Acme.Server.Nonces;

/// <summary>
/// Issues and redeems the anti-replay nonces of RFC 8555 §6.5. <see cref="NonceService"/> keeps them in
/// the memory of one process (SQLite: one instance); <see cref="SharedNonceStore"/> makes a nonce issued
/// by any instance redeemable, once, at every instance sharing the database (PostgreSQL).
/// </summary>
public interface INonceStore
{
    Task<string> IssueAsync(CancellationToken ct);

    /// <summary>Accepted exactly once for a nonce this service issued that has not expired (RFC 8555 §6.5.2).</summary>
    Task<NonceRedemption> RedeemAsync(string? nonce, CancellationToken ct);
}
