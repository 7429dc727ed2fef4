using System.Globalization;

namespace Acme.Validation.Identifiers;

/// <summary>
/// The domain half of a mailbox: IDNA2008 with the UTS 46 processing of ICU (nontransitional, STD3
/// rules), lower-case A-labels out, and only input that is already in its canonical form: a domain
/// that UTS 46 would silently change (fullwidth letters, a zero-width character mapped away) is
/// refused rather than rewritten, so what the client sees is what the certificate says.
/// </summary>
internal static class MailboxDomain
{
    private const int MaxDomainOctets = 253; // RFC 1035 §2.3.4, less the root dot

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    /// <summary>The lower-case A-label form of <paramref name="text"/>, or the reason it is refused.</summary>
    public static (string? ALabels, string? Error) Normalize(string text)
    {
        if (text.StartsWith('['))
        {
            return (null, "address literals (IP addresses) are not supported as mailbox domains");
        }

        if (text.EndsWith('.'))
        {
            return (null, "the domain ends with a dot");
        }

        string ascii, unicode;
        try
        {
            // RFC 8823 §3, requirements #4: U-labels become A-labels once, here.
            ascii = Idn.GetAscii(text).ToLowerInvariant();
            unicode = Idn.GetUnicode(ascii);
        }
        catch (ArgumentException)
        {
            return (null, $"the domain '{text}' is not a valid host name under IDNA2008 / UTS 46");
        }

        var labels = text.Split('.');
        var asciiLabels = ascii.Split('.');
        var unicodeLabels = unicode.Split('.');
        if (labels.Length != asciiLabels.Length)
        {
            return (null, $"the domain '{text}' changes its labels under IDNA mapping; send it as '{unicode}'");
        }

        for (var i = 0; i < labels.Length; i++)
        {
            // A label is canonical when it is its own A-label or U-label, up to case.
            var label = labels[i].ToLowerInvariant();
            if (label != asciiLabels[i] && label != unicodeLabels[i])
            {
                return (null, $"the domain label '{labels[i]}' is not in its canonical IDNA form (UTS 46 maps it to '{unicodeLabels[i]}'); send '{unicodeLabels[i]}' or '{asciiLabels[i]}'");
            }

            if (ScriptRules.MixedScripts(unicodeLabels[i]) is { } mixed)
            {
                return (null, $"the domain label '{unicodeLabels[i]}' mixes the scripts {mixed} (UTS 39 single-script rule)");
            }
        }

        return CheckAscii(ascii) is { } error ? (null, error) : (ascii, null);
    }

    private static string? CheckAscii(string domain)
    {
        if (domain.Length > MaxDomainOctets)
        {
            return $"the domain is longer than {MaxDomainOctets} octets";
        }

        var labels = domain.Split('.');
        if (labels.Length < 2)
        {
            return $"the domain '{domain}' is not fully qualified";
        }

        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63)
            {
                return $"the domain '{domain}' has an empty label or one longer than 63 octets";
            }

            if (label.StartsWith('-') || label.EndsWith('-') || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return $"the domain '{domain}' has a label that is not letters, digits and inner hyphens";
            }
        }

        return labels[^1].All(char.IsAsciiDigit) ? $"the domain '{domain}' ends in a numeric label" : null;
    }
}
