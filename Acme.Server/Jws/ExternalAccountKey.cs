namespace Acme.Server.Jws;

/// <summary>
/// A MAC key the CA issued for external account binding (RFC 8555 §7.3.4).
/// </summary>
/// <param name="KeyId">The key identifier the client puts in the EAB <c>kid</c>.</param>
/// <param name="HmacKey">The shared MAC key.</param>
/// <param name="Algorithm">
/// <c>HS256</c>, <c>HS384</c> or <c>HS512</c> to require that algorithm, or
/// <see cref="AnyAlgorithm"/> (<c>"any"</c>) to accept any of the three.
/// </param>
public sealed record ExternalAccountKey(string KeyId, byte[] HmacKey, string Algorithm)
{
    /// <summary>The <see cref="Algorithm"/> value that accepts HS256, HS384 and HS512.</summary>
    public const string AnyAlgorithm = "any";
}
