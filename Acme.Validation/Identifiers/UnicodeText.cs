using System.Globalization;
using System.Text;

namespace Acme.Validation.Identifiers;

/// <summary>
/// Character-level rules for mailbox text that is mailed, compared and put into certificates:
/// nothing invisible, nothing that renders differently from what is stored, one canonical form.
/// </summary>
internal static class UnicodeText
{
    /// <summary>
    /// The first reason <paramref name="text"/> cannot be a mailbox part, or null. Refused: unpaired
    /// surrogates; control (Cc), format (Cf: bidi controls such as U+202E, zero-width characters such
    /// as U+200B, the BOM U+FEFF), private-use, unassigned, separator and white-space characters.
    /// </summary>
    public static string? ForbiddenCharacter(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsSurrogate(text, i) && !(i + 1 < text.Length && char.IsSurrogatePair(text[i], text[i + 1])))
            {
                return $"it contains an unpaired surrogate (U+{(int)text[i]:X4})";
            }

            if (!Rune.TryGetRuneAt(text, i, out var rune))
            {
                return $"it contains an invalid character at position {i}";
            }

            var reason = Rune.GetUnicodeCategory(rune) switch
            {
                UnicodeCategory.Control => "a control character",
                UnicodeCategory.Format => "an invisible formatting character (bidi control, zero-width character or byte-order mark)",
                UnicodeCategory.PrivateUse => "a private-use character",
                UnicodeCategory.OtherNotAssigned => "an unassigned code point",
                UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => "a space or separator",
                _ => Rune.IsWhiteSpace(rune) ? "white space" : null,
            };
            if (reason is not null)
            {
                return $"it contains {reason} (U+{rune.Value:X4})";
            }

            i += rune.Utf16SequenceLength - 1;
        }

        return null;
    }

    /// <summary>
    /// Null when <paramref name="text"/> is in Unicode NFC and has no compatibility characters
    /// (fullwidth forms, ligatures, superscripts: NFKC would change it); otherwise the reason.
    /// </summary>
    public static string? NotCanonical(string text)
    {
        if (!text.IsNormalized(NormalizationForm.FormC))
        {
            return "it is not in Unicode normalization form C (NFC); send the composed form";
        }

        if (!text.IsNormalized(NormalizationForm.FormKC))
        {
            return $"it contains compatibility characters such as fullwidth forms or ligatures; its plain form would be '{text.Normalize(NormalizationForm.FormKC)}'";
        }

        return null;
    }
}
