using System.Globalization;

namespace Acme.Server.Hosting.Commands;

/// <summary>Strict readers for the values operators type: serial numbers, dates, limits.</summary>
public static class CommandValues
{
    /// <summary>
    /// A certificate serial number in hex (colons allowed, as OpenSSL prints it), at most 20 octets (RFC 5280 §4.1.2.2);
    /// returned as stored: lower case without leading zeros.
    /// </summary>
    public static bool TryParseSerial(string text, out string serial)
    {
        var digits = text.Replace(":", "", StringComparison.Ordinal);
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[2..];
        }

        serial = digits.ToLowerInvariant().TrimStart('0');
        return digits.Length is > 0 and <= 64 && digits.All(char.IsAsciiHexDigit) && serial.Length is > 0 and <= 40;
    }

    /// <summary>A date (<c>2026-12-01</c>, midnight UTC) or a date and time with an offset or <c>Z</c>; as Unix milliseconds.</summary>
    public static bool TryParseTime(string text, out long unixMilliseconds)
    {
        unixMilliseconds = 0;
        string[] formats = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];
        if (!DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return false;
        }

        unixMilliseconds = at.ToUnixTimeMilliseconds();
        return true;
    }

    /// <summary>A whole number from 1 to <paramref name="max"/>.</summary>
    public static bool TryParseCount(string text, int max, out int count) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count >= 1 && count <= max;
}
