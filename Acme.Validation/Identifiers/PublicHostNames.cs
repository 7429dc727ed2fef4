using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Acme.Validation.Identifiers;

/// <summary>
/// Tells a public host name from an internal one, the way pkilint's <c>cabf.internal_domain_name</c>
/// does: a name is public when it has at least two labels and its top-level label is one of the ICANN
/// section of the Public Suffix List (the embedded <c>icann-tlds.txt</c>). <c>localhost</c>,
/// <c>ca.corp</c>, <c>crl.internal</c> and <c>x.home.arpa</c> are internal; IP literals are neither
/// and are reported separately.
/// </summary>
public sealed class PublicHostNames
{
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    private readonly FrozenSet<string> _topLevelDomains;

    private PublicHostNames(FrozenSet<string> topLevelDomains) => _topLevelDomains = topLevelDomains;

    /// <summary>The embedded list of ICANN top-level domains (A-labels).</summary>
    public static PublicHostNames Icann { get; } = Load();

    /// <summary>How many top-level domains the list holds.</summary>
    public int Count => _topLevelDomains.Count;

    /// <summary>What kind of host <paramref name="host"/> is (a URI's host, brackets allowed around IPv6).</summary>
    public HostKind Classify(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var bare = host.Trim('[', ']');
        if (IPAddress.TryParse(bare, out var address))
        {
            return IsReserved(address) ? HostKind.ReservedIpAddress : HostKind.PublicIpAddress;
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(host.TrimEnd('.')).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return HostKind.InternalName;
        }

        var labels = ascii.Split('.');
        return labels.Length >= 2 && _topLevelDomains.Contains(labels[^1]) ? HostKind.PublicName : HostKind.InternalName;
    }

    /// <summary>Loopback, private, link-local, unique-local, unspecified and documentation ranges.</summary>
    private static bool IsReserved(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8); // 2001:db8::/32 (RFC 3849)
        }

        var v4 = address.GetAddressBytes();
        return v4[0] is 0 or 10 or 127
            || (v4[0] == 100 && v4[1] is >= 64 and <= 127)   // RFC 6598 shared address space
            || (v4[0] == 169 && v4[1] == 254)
            || (v4[0] == 172 && v4[1] is >= 16 and <= 31)
            || (v4[0] == 192 && v4[1] == 168)
            || (v4[0] == 192 && v4[1] == 0 && v4[2] is 0 or 2)  // RFC 6890, RFC 5737
            || (v4[0] == 198 && v4[1] is 18 or 19)
            || (v4[0] == 198 && v4[1] == 51 && v4[2] == 100)
            || (v4[0] == 203 && v4[1] == 0 && v4[2] == 113)
            || v4[0] >= 224;
    }

    private static PublicHostNames Load()
    {
        using var stream = typeof(PublicHostNames).Assembly.GetManifestResourceStream("Acme.Validation.Identifiers.icann-tlds.txt")
            ?? throw new InvalidOperationException("the embedded top-level domain list is missing from Acme.Validation");
        using var reader = new StreamReader(stream);
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                names.Add(line.Trim());
            }
        }

        return new PublicHostNames(names.ToFrozenSet(StringComparer.Ordinal));
    }
}

/// <summary>The kind of a host in a URI.</summary>
public enum HostKind
{
    /// <summary>A name under an ICANN top-level domain.</summary>
    PublicName,

    /// <summary>A name that cannot resolve on the public Internet (single label, unknown or reserved top-level domain).</summary>
    InternalName,

    /// <summary>An IP literal outside the reserved ranges.</summary>
    PublicIpAddress,

    /// <summary>A loopback, private, link-local or documentation IP literal.</summary>
    ReservedIpAddress,
}
