using System.Globalization;
using System.Text;

namespace Acme.Validation.Identifiers;

/// <summary>
/// The single-script rule of UTS 39 §5.1 ("restriction level: highly restrictive") for one label
/// or local-part atom: all letters come from one script, where Common and Inherited characters
/// (digits, hyphen, combining marks) go with any script, and the CJK combinations Han + Hiragana +
/// Katakana (Japanese), Han + Hangul (Korean) and Han + Bopomofo (Chinese) count as one. A label
/// such as "pаypal" (Latin with one Cyrillic а) fails it.
/// </summary>
/// <remarks>
/// The script of a code point comes from a table of the Unicode blocks of the scripts in use for
/// mail addresses (Unicode Scripts.txt, grouped by block). A code point outside the table counts
/// as a script of its own block, so a label of one unlisted script passes and a label that mixes
/// it with another script fails.
/// </remarks>
internal static class ScriptRules
{
    private static readonly string[][] AllowedCombinations =
    [
        ["Han", "Hiragana", "Katakana"],
        ["Han", "Hangul"],
        ["Han", "Bopomofo"],
    ];

    /// <summary>Null when <paramref name="label"/> is single-script; otherwise the scripts it mixes.</summary>
    public static string? MixedScripts(string label)
    {
        var scripts = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rune in label.EnumerateRunes())
        {
            if (ScriptOf(rune) is { } script)
            {
                scripts.Add(script);
            }
        }

        if (scripts.Count <= 1 || AllowedCombinations.Any(combination => scripts.IsSubsetOf(combination)))
        {
            return null;
        }

        return string.Join(" and ", scripts);
    }

    /// <summary>The script of a code point, or null for Common and Inherited characters.</summary>
    internal static string? ScriptOf(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.DecimalDigitNumber
            || (rune.IsAscii && !Rune.IsLetter(rune)))
        {
            return null; // Inherited (combining marks) and Common (digits, ASCII punctuation)
        }

        var value = rune.Value;
        foreach (var (first, last, script) in ScriptTable.Ranges)
        {
            if (value < first)
            {
                break;
            }

            if (value <= last)
            {
                return script;
            }
        }

        return Rune.IsLetter(rune) ? "U+" + (value & ~0x7F).ToString("X4", CultureInfo.InvariantCulture) : null;
    }
}
