namespace Acme.Validation.Dkim;

/// <summary>
/// The answer of an <see cref="IDkimKeyLookup"/>: the status and, when found, one string per TXT
/// record with that record's character-strings already concatenated (RFC 6376 §3.6.2.2).
/// </summary>
/// <param name="Status">What the lookup found.</param>
/// <param name="Records">The TXT records, one string each; empty unless <see cref="DkimKeyLookupStatus.Found"/>.</param>
/// <param name="Message">A short explanation for a failure (for example the DNS response code).</param>
public sealed record DkimKeyLookupResult(DkimKeyLookupStatus Status, IReadOnlyList<string> Records, string? Message = null)
{
    /// <summary>A result holding the given records.</summary>
    public static DkimKeyLookupResult Found(IReadOnlyList<string> records) => new(DkimKeyLookupStatus.Found, records);

    /// <summary>A permanent "no such record" result.</summary>
    public static DkimKeyLookupResult NotFound(string? message = null) => new(DkimKeyLookupStatus.NotFound, [], message);

    /// <summary>A temporary failure result.</summary>
    public static DkimKeyLookupResult TemporaryFailure(string message) => new(DkimKeyLookupStatus.TemporaryFailure, [], message);
}
