namespace Acme.Validation.Caa;

/// <summary>
/// The DNS seam for CAA checking: one query per call, no tree climbing (that is the
/// evaluator's job). Implementations send queries to a DNSSEC-validating resolver.
/// </summary>
public interface ICaaLookup
{
    /// <summary>Queries the CAA RRset of exactly <paramref name="domain"/> (CNAMEs followed by the resolver).</summary>
    /// <param name="domain">A lower-case A-label domain name without a trailing dot.</param>
    /// <param name="ct">Cancels the query.</param>
    Task<CaaLookupResult> LookupAsync(string domain, CancellationToken ct);

    /// <summary>
    /// True only when <paramref name="domain"/> is provably DNSSEC "Insecure" (RFC 4035 §4.3):
    /// a signed parent zone returned an authenticated (AD) denial of a DS record at the zone cut
    /// above or at <paramref name="domain"/>. Any failure or ambiguity yields false.
    /// </summary>
    /// <param name="domain">A lower-case A-label domain name without a trailing dot.</param>
    /// <param name="ct">Cancels the queries.</param>
    Task<bool> ProveInsecureAsync(string domain, CancellationToken ct);
}
