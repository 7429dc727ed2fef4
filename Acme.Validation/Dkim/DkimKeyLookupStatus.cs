namespace Acme.Validation.Dkim;

/// <summary>The result category of a DKIM key record lookup.</summary>
public enum DkimKeyLookupStatus
{
    /// <summary>At least one TXT record exists at the name.</summary>
    Found,

    /// <summary>The name does not exist or holds no TXT record (a permanent failure, RFC 6376 §6.1.2).</summary>
    NotFound,

    /// <summary>The lookup could not be completed (timeout, SERVFAIL, network error); trying later may work.</summary>
    TemporaryFailure,
}
