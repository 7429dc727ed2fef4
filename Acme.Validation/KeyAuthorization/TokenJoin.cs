namespace Acme.Validation.KeyAuthorization;

/// <summary>
/// The two readings of "token-part1 concatenated with token-part2" (RFC 8823 §3 step 6; see
/// requirements §4 A1). They give the same token whenever token-part1 is a whole number of
/// 3-byte groups.
/// </summary>
public enum TokenJoin
{
    /// <summary>Concatenate the two base64url texts (acme4j, RapidMX).</summary>
    String,

    /// <summary>Decode both parts, concatenate the bytes, re-encode unpadded (acmez, acme_email).</summary>
    Bytes,
}
