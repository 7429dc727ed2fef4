using System.Globalization;

namespace Acme.Server.Protocol;

/// <summary>RFC 3339 timestamps (RFC 8555 §7.1) and the Unix-millisecond form stored in the database.</summary>
public static class AcmeTime
{
    public static string Format(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Format(long unixMs) => Format(DateTimeOffset.FromUnixTimeMilliseconds(unixMs));

    public static bool TryParse(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time)
        && text!.Contains('T') && (text.EndsWith('Z') || text.EndsWith("z") || text.LastIndexOfAny(['+', '-']) > text.IndexOf('T'));
}
