using System.Globalization;
using System.Text;
using System.Text.Json;
using Acme.Server.Protocol.Problems;

namespace Acme.Server.Jws;

/// <summary>
/// The one reader of untrusted JSON (JWS objects, protected headers, payloads): the text must be
/// UTF-8 JSON whose every string and member name decodes (no invalid octets, no unpaired
/// surrogate escapes) and whose objects repeat no member name at any depth (RFC 7515 §5.2 step 4,
/// RFC 8259 §4), or the request is malformed. Every element it returns has been decoded once in
/// full, so <see cref="JsonElement.GetString"/>, <see cref="JsonProperty.Name"/> and
/// <c>TryGetProperty</c> on it cannot throw later.
/// </summary>
internal static class StrictJson
{
    /// <summary>Parses <paramref name="utf8"/> as a JSON object; <paramref name="what"/> names it in errors.</summary>
    public static JsonElement ParseObject(ReadOnlySpan<byte> utf8, string what)
    {
        var root = Parse(utf8, what);
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"{what} must be a JSON object, not {Describe(root.ValueKind)}");
        }

        return root;
    }

    /// <summary>Parses <paramref name="utf8"/> as any JSON value and checks it like <see cref="EnsureWellFormed"/>.</summary>
    public static JsonElement Parse(ReadOnlySpan<byte> utf8, string what)
    {
        // RFC 8259 §8.1: JSON text exchanged between systems MUST be encoded using UTF-8.
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            var offset = FirstInvalidUtf8(utf8);
            throw NotUtf8(what, $"the byte 0x{utf8[offset]:X2} at offset {offset.ToString(CultureInfo.InvariantCulture)} does not start a valid UTF-8 sequence");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray());
        }
        catch (JsonException e)
        {
            throw Malformed($"{what} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }

        using (document)
        {
            EnsureWellFormed(document.RootElement, what);
            return document.RootElement.Clone();
        }
    }

    /// <summary>
    /// Throws malformed when a string or member name inside <paramref name="element"/> does not
    /// decode, or when an object repeats a member name.
    /// </summary>
    public static void EnsureWellFormed(JsonElement element, string what) => Check(element, "$", what);

    /// <summary>Describes a JSON value kind for error details ("a string", "an array").</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Array => "an array",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };

    private static void Check(JsonElement element, string path, string what)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var member in element.EnumerateObject())
                {
                    var name = Decode(() => member.Name, $"a member name in {path}", what);

                    // RFC 7515 §5.2: duplicate Header Parameter names MUST be rejected (we apply it to every object).
                    if (!seen.Add(name))
                    {
                        throw Malformed($"{what} contains the member '{name}' more than once");
                    }

                    Check(member.Value, $"{path}.{name}", what);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Check(item, $"{path}[{index++}]", what);
                }

                break;
            case JsonValueKind.String:
                Decode(element.GetString, $"the string at {path}", what);
                break;
        }
    }

    private static string Decode(Func<string?> read, string where, string what)
    {
        try
        {
            return read() ?? string.Empty;
        }
        catch (InvalidOperationException)
        {
            // RFC 8259 §8.2: an unpaired surrogate escape (\ud800) names no Unicode character.
            throw NotUtf8(what, $"{where} contains an unpaired UTF-16 surrogate escape (such as \\ud800)");
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        var offset = 0;
        while (Rune.DecodeFromUtf8(utf8[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }

    private static AcmeProblemException NotUtf8(string what, string reason) => Malformed($"{what} is not valid UTF-8 JSON: {reason} (RFC 8259 §8)");

    private static AcmeProblemException Malformed(string detail) => new(AcmeProblems.Malformed(detail));
}
