using System.Globalization;

namespace Acme.Server.Protocol;

/// <summary>RFC 3339 timestamps (RFC 8555 §7.1) and the Unix-millisecond form stored in the database.</summary>
public static class AcmeTime
{
    // RFC 3339 §5.6 date-time: full date, "T", time with optional fraction, and "Z" or a numeric offset.
    private static readonly string[] Rfc3339 =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd't'HH:mm:ssK", "yyyy-MM-dd't'HH:mm:ss.FFFFFFFK",
    ];

    public static string Format(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Format(long unixMs) => Format(DateTimeOffset.FromUnixTimeMilliseconds(unixMs));

    /// <summary>Parses an RFC 3339 date-time; a time without a zone (ambiguous) is refused.</summary>
    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        if (text is null || !(text.EndsWith('Z') || text.EndsWith('z') || text.LastIndexOfAny(['+', '-']) > text.IndexOf('T', StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        return DateTimeOffset.TryParseExact(text.Replace('z', 'Z'), Rfc3339, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out time);
    }
}
