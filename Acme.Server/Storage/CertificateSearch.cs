namespace Acme.Server.Storage;

/// <summary>
/// Filters of <see cref="ICertificateStore.SearchAsync"/>; null filters match everything. Times are Unix milliseconds,
/// <see cref="IssuedAfter"/> inclusive and <see cref="IssuedBefore"/> exclusive; the serial is lower-case hex without leading zeros.
/// </summary>
public sealed record CertificateSearch(int Limit)
{
    public string? Address { get; init; }
    public string? AccountId { get; init; }
    public string? Serial { get; init; }
    public long? IssuedAfter { get; init; }
    public long? IssuedBefore { get; init; }

    /// <summary>The DER SubjectPublicKeyInfo the certificate certifies.</summary>
    public byte[]? KeySpki { get; init; }
}
