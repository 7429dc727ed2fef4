using System.Globalization;

namespace Acme.Validation.Caa;

/// <summary>
/// One CAA resource record (RFC 8659 §4.1): flags, property tag and property value, as returned
/// by the DNS. Our own immutable copy, so nothing outside the DNS adapter depends on DnsClient.
/// </summary>
/// <param name="Flags">The flags octet; bit 0 (value 128) is the Issuer Critical flag.</param>
/// <param name="Tag">The property tag, as published (compare case-insensitively).</param>
/// <param name="Value">The property value, as published.</param>
public sealed record CaaProperty(byte Flags, string Tag, string Value)
{
    /// <summary>The Issuer Critical flag (RFC 8659 §4.1: flags value 128).</summary>
    public bool IsCritical => (Flags & 128) != 0;

    /// <summary>
    /// The record in presentation format, for example <c>0 issuemail "ca.example.test"</c>
    /// (double quotes and backslashes in the value escaped).
    /// </summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Flags} {Tag} \"{Escape(Value)}\"");

    /// <summary>The presentation form wrapped in double quotes, for quoting in a refusal detail.</summary>
    public string Quoted() => "\"" + Escape(ToString()) + "\"";

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
