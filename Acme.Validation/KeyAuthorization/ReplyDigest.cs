using System.Security.Cryptography;
using System.Text;
using Acme.Validation.Codecs;

namespace Acme.Validation.KeyAuthorization;

/// <summary>
/// The value an <c>email-reply-00</c> response carries: base64url(SHA-256(keyAuthorization)),
/// where keyAuthorization = token "." thumbprint and token joins token-part1 and token-part2
/// (RFC 8823 §3 step 6, §3.2 item 7; RFC 8555 §8.1).
/// </summary>
public static class ReplyDigest
{
    /// <summary>
    /// Computes the unpadded base64url digest for one reading of the token join.
    /// </summary>
    /// <param name="tokenPart1">token-part1 as unpadded base64url (sent in the Subject).</param>
    /// <param name="tokenPart2">token-part2 as unpadded base64url (the challenge's <c>token</c>).</param>
    /// <param name="accountThumbprint">base64url RFC 7638 thumbprint of the account key.</param>
    /// <param name="join">How the two token parts are joined.</param>
    /// <exception cref="ArgumentException">A token part is not unpadded base64url when <paramref name="join"/> is <see cref="TokenJoin.Bytes"/>.</exception>
    public static string Compute(string tokenPart1, string tokenPart2, string accountThumbprint, TokenJoin join)
    {
        ArgumentNullException.ThrowIfNull(tokenPart1);
        ArgumentNullException.ThrowIfNull(tokenPart2);
        ArgumentNullException.ThrowIfNull(accountThumbprint);
        var token = JoinTokens(tokenPart1, tokenPart2, join)
            ?? throw new ArgumentException("the token parts are not unpadded base64url, so their bytes cannot be joined", nameof(join));
        return DigestOf(token, accountThumbprint);
    }

    /// <summary>
    /// True when <paramref name="responseText"/> equals the digest under either join (requirements
    /// §4 A1: accept both readings). Comparison is fixed-time.
    /// </summary>
    public static bool Matches(string responseText, string tokenPart1, string tokenPart2, string thumbprint) =>
        TryMatch(responseText, tokenPart1, tokenPart2, thumbprint, out _);

    /// <summary>
    /// Like <see cref="Matches"/>, and reports which join matched (the string join is tried first
    /// when both give the same digest).
    /// </summary>
    public static bool TryMatch(string responseText, string tokenPart1, string tokenPart2, string thumbprint, out TokenJoin matched)
    {
        ArgumentNullException.ThrowIfNull(responseText);
        ArgumentNullException.ThrowIfNull(tokenPart1);
        ArgumentNullException.ThrowIfNull(tokenPart2);
        ArgumentNullException.ThrowIfNull(thumbprint);
        var response = Encoding.ASCII.GetBytes(responseText);

        // Both comparisons always run, so timing does not reveal which reading was close.
        var stringMatch = FixedTimeEquals(response, DigestOf(tokenPart1 + tokenPart2, thumbprint));
        var bytesToken = JoinTokens(tokenPart1, tokenPart2, TokenJoin.Bytes);
        var bytesMatch = bytesToken is not null && FixedTimeEquals(response, DigestOf(bytesToken, thumbprint));

        matched = stringMatch ? TokenJoin.String : TokenJoin.Bytes;
        return stringMatch || bytesMatch;
    }

    private static string? JoinTokens(string part1, string part2, TokenJoin join)
    {
        if (join == TokenJoin.String)
        {
            return part1 + part2;
        }

        if (!StrictBase64Url.TryDecode(part1, out var bytes1) || !StrictBase64Url.TryDecode(part2, out var bytes2))
        {
            return null;
        }

        return StrictBase64Url.Encode([.. bytes1, .. bytes2]);
    }

    // RFC 8555 §8.1: keyAuthorization = token || '.' || base64url(Thumbprint(accountKey))
    private static string DigestOf(string token, string thumbprint) =>
        StrictBase64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(token + "." + thumbprint)));

    private static bool FixedTimeEquals(byte[] response, string expected) =>
        CryptographicOperations.FixedTimeEquals(response, Encoding.ASCII.GetBytes(expected));
}
