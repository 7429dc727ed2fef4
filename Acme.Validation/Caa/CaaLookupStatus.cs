namespace Acme.Validation.Caa;

/// <summary>What a single CAA query (one owner name, no tree climbing) produced.</summary>
public enum CaaLookupStatus
{
    /// <summary>NOERROR: the CAA RRset, possibly empty (NODATA).</summary>
    Records,

    /// <summary>NXDOMAIN: the name does not exist.</summary>
    NxDomain,

    /// <summary>No usable answer: SERVFAIL (including a DNSSEC-bogus chain), REFUSED, FORMERR, timeout, network error.</summary>
    Failure,
}
