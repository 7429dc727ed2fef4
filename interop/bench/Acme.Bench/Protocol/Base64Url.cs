namespace Acme.Bench.Protocol;

/// <summary>Unpadded base64url (RFC 4648 §5), as JWS and RFC 8823 use it.</summary>
public static class Base64Url
{
    /// <summary>Encodes without padding.</summary>
    public static string Encode(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
