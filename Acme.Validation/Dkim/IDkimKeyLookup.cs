namespace Acme.Validation.Dkim;

/// <summary>
/// Looks up the TXT records at a DKIM key name (<c>selector._domainkey.domain</c>). The seam
/// between DKIM verification and DNS, so tests can publish keys without a resolver.
/// </summary>
public interface IDkimKeyLookup
{
    /// <summary>
    /// Returns the TXT records at <paramref name="name"/>, each record's strings concatenated
    /// (RFC 6376 §3.6.2.2), or a NotFound / TemporaryFailure status. Must not throw for DNS
    /// failures; cancellation may throw <see cref="OperationCanceledException"/>.
    /// </summary>
    Task<DkimKeyLookupResult> LookupTxtAsync(string name, CancellationToken ct);
}
