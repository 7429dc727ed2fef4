using System.Globalization;

namespace Acme.Validation.Linting;

/// <summary>Splits mailbox addresses found in certificates and checks their domain form.</summary>
internal static class MailboxText
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    /// <summary>The part before the last '@' (the whole text when there is none).</summary>
    public static string LocalPart(string address) =>
        address.LastIndexOf('@') is var at and >= 0 ? address[..at] : address;

    /// <summary>The part after the last '@' (empty when there is none).</summary>
    public static string Domain(string address) =>
        address.LastIndexOf('@') is var at and >= 0 ? address[(at + 1)..] : string.Empty;

    /// <summary>True when <paramref name="domain"/> is ASCII, lower-case, and round-trips as A-labels.</summary>
    public static bool IsLowerCaseALabelDomain(string domain)
    {
        if (domain.Length == 0 || !domain.All(char.IsAscii) || domain.Any(char.IsUpper))
        {
            return false;
        }

        try
        {
            // GetUnicode rejects malformed punycode; GetAscii of the result must give the input back.
            return string.Equals(Idn.GetAscii(Idn.GetUnicode(domain)), domain, StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
