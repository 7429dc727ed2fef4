namespace Acme.Validation.Caa;

/// <summary>The outcome of one CAA query for one owner name (see <see cref="ICaaLookup.LookupAsync"/>).</summary>
public sealed record CaaLookupResult
{
    private CaaLookupResult(CaaLookupStatus status)
    {
        Status = status;
    }

    /// <summary>What the query produced.</summary>
    public CaaLookupStatus Status { get; }

    /// <summary>The CAA RRset (empty unless <see cref="Status"/> is <see cref="CaaLookupStatus.Records"/>).</summary>
    public IReadOnlyList<CaaProperty> Records { get; private init; } = [];

    /// <summary>True when the resolver set the AD bit: a DNSSEC-secure answer (RFC 4035 §3.2.3).</summary>
    public bool Authenticated { get; private init; }

    /// <summary>The final target when the answer followed a CNAME chain; null otherwise.</summary>
    public string? CanonicalName { get; private init; }

    /// <summary>The smallest TTL of the returned CAA records, when known.</summary>
    public TimeSpan? Ttl { get; private init; }

    /// <summary>
    /// When the answer was retrieved from DNS, if it was kept and is being reused (<see cref="ReusingCaaLookup"/>);
    /// null for an answer retrieved by this very call.
    /// </summary>
    public DateTimeOffset? RetrievedAt { get; init; }

    /// <summary>Why the lookup failed (only for <see cref="CaaLookupStatus.Failure"/>).</summary>
    public string? FailureMessage { get; private init; }

    /// <summary>
    /// For a failure: true when our resolver answered with an error code (the failure lies
    /// upstream, outside the CA's infrastructure); false when the resolver itself could not be
    /// reached or did not answer in time (SBR 4.2.2.1 condition 1).
    /// </summary>
    public bool FailureOutsideInfrastructure { get; private init; }

    /// <summary>A NOERROR answer carrying <paramref name="records"/> (empty for NODATA).</summary>
    public static CaaLookupResult Found(IReadOnlyList<CaaProperty> records, bool authenticated, string? canonicalName = null, TimeSpan? ttl = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        return new CaaLookupResult(CaaLookupStatus.Records)
        {
            Records = records.ToArray(),
            Authenticated = authenticated,
            CanonicalName = canonicalName,
            Ttl = ttl,
        };
    }

    /// <summary>An empty NOERROR answer (NODATA).</summary>
    public static CaaLookupResult Empty(bool authenticated) => Found([], authenticated);

    /// <summary>An NXDOMAIN answer.</summary>
    public static CaaLookupResult NxDomain(bool authenticated) =>
        new(CaaLookupStatus.NxDomain) { Authenticated = authenticated };

    /// <summary>A failed lookup.</summary>
    /// <param name="message">What went wrong, for the log and the refusal detail.</param>
    /// <param name="outsideInfrastructure">See <see cref="FailureOutsideInfrastructure"/>.</param>
    public static CaaLookupResult Failed(string message, bool outsideInfrastructure) =>
        new(CaaLookupStatus.Failure) { FailureMessage = message, FailureOutsideInfrastructure = outsideInfrastructure };
}
