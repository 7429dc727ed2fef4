using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;

namespace Acme.Validation.Codecs;

/// <summary>
/// Unpadded base64url (RFC 4648 §5) as ACME uses it: output is never padded, and input with
/// padding, whitespace or characters outside the URL-safe alphabet is refused (RFC 8555 §6.1).
/// </summary>
public static class StrictBase64Url
{
    /// <summary>Encodes <paramref name="data"/> as unpadded base64url.</summary>
    public static string Encode(ReadOnlySpan<byte> data) => Base64Url.EncodeToString(data);

    /// <summary>
    /// Decodes unpadded base64url. Returns false for padding (RFC 8555 §6.1: padded input MUST be
    /// rejected), any character outside <c>A-Z a-z 0-9 - _</c>, or an impossible length.
    /// </summary>
    public static bool TryDecode(string? text, [NotNullWhen(true)] out byte[]? data)
    {
        data = null;
        if (text is null)
        {
            return false;
        }

        foreach (var c in text)
        {
            var ok = c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';
            if (!ok)
            {
                return false;
            }
        }

        if (text.Length % 4 == 1)
        {
            return false;
        }

        try
        {
            data = Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
