using Acme.Server.Observability;

namespace Acme.Server.Nonces;

/// <summary>Counts the nonces a store issues and refuses (<c>acme_nonces_issued_total</c>, <c>acme_nonces_refused_total</c>).</summary>
public sealed class MeteredNonceStore(INonceStore inner, AcmeMetrics metrics) : INonceStore
{
    public async Task<string> IssueAsync(CancellationToken ct)
    {
        var nonce = await inner.IssueAsync(ct);
        metrics.NonceIssued();
        return nonce;
    }

    public async Task<NonceRedemption> RedeemAsync(string? nonce, CancellationToken ct)
    {
        var redemption = await inner.RedeemAsync(nonce, ct);
        metrics.NonceRedeemed(redemption);
        return redemption;
    }
}
