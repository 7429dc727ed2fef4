using System.Globalization;
using System.Net;

namespace Acme.Validation.Dns;

/// <summary>
/// Parses configured DNS server entries of the form <c>address:port</c>: an IPv4 literal
/// (<c>192.0.2.53:53</c>) or a bracketed IPv6 literal (<c>[2001:db8::53]:53</c>). Host names are
/// not accepted (resolving them would itself need DNS), and the port is required.
/// </summary>
public static class DnsServerList
{
    /// <summary>
    /// Parses every entry. An empty list yields an empty result (the caller then uses the system
    /// resolver).
    /// </summary>
    /// <exception cref="ArgumentException">An entry is not <c>address:port</c>; the message names it.</exception>
    public static IReadOnlyList<IPEndPoint> Parse(IReadOnlyList<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries.Select(ParseEntry).ToArray();
    }

    /// <summary>Parses one <c>address:port</c> entry.</summary>
    /// <exception cref="ArgumentException">The entry is not <c>address:port</c>; the message names it.</exception>
    public static IPEndPoint ParseEntry(string entry)
    {
        if (string.IsNullOrWhiteSpace(entry))
        {
            throw Bad(entry ?? string.Empty, "the entry is empty");
        }

        string hostText;
        string portText;
        if (entry.StartsWith('['))
        {
            var close = entry.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0)
            {
                throw Bad(entry, "an IPv6 server must be written [address]:port");
            }

            hostText = entry[1..close];
            portText = entry[(close + 2)..];
            if (!IPAddress.TryParse(hostText, out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                throw Bad(entry, $"'{hostText}' is not an IPv6 address");
            }
        }
        else
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || colon != entry.LastIndexOf(':'))
            {
                throw Bad(entry, "the entry must be address:port (IPv6 addresses in brackets)");
            }

            hostText = entry[..colon];
            portText = entry[(colon + 1)..];
            if (!IsDottedQuad(hostText))
            {
                throw Bad(entry, $"'{hostText}' is not an IPv4 address (host names are not accepted)");
            }
        }

        if (portText.Length is 0 or > 5 || !portText.All(char.IsAsciiDigit)
            || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw Bad(entry, $"'{portText}' is not a port number between 1 and 65535");
        }

        return new IPEndPoint(IPAddress.Parse(hostText), port);
    }

    private static bool IsDottedQuad(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p =>
            p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit)
            && int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture) <= 255);
    }

    private static ArgumentException Bad(string entry, string reason) =>
        new($"DNS server entry '{entry}' is invalid: {reason}", "entries");
}
