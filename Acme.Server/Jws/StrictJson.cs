using System.Text.Json;
using Acme.Server.Protocol.Problems;

namespace Acme.Server.Jws;

/// <summary>
/// JSON reading for JOSE objects: the text must be one JSON object with no duplicate member
/// names at any depth (RFC 7515 §5.2 step 4, RFC 8259 §4), or the request is malformed.
/// </summary>
internal static class StrictJson
{
    /// <summary>Parses <paramref name="utf8"/> as a JSON object; <paramref name="what"/> names it in errors.</summary>
    public static JsonElement ParseObject(ReadOnlySpan<byte> utf8, string what)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray());
        }
        catch (JsonException)
        {
            throw Malformed($"{what} is not valid JSON");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed($"{what} must be a JSON object, not {Describe(root.ValueKind)}");
            }

            EnsureNoDuplicateMembers(root, what);
            return root.Clone();
        }
    }

    /// <summary>Throws malformed when any object inside <paramref name="element"/> repeats a member name.</summary>
    public static void EnsureNoDuplicateMembers(JsonElement element, string what)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var member in element.EnumerateObject())
                {
                    // RFC 7515 §5.2: duplicate Header Parameter names MUST be rejected (we apply it to every object).
                    if (!seen.Add(member.Name))
                    {
                        throw Malformed($"{what} contains the member '{member.Name}' more than once");
                    }

                    EnsureNoDuplicateMembers(member.Value, what);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    EnsureNoDuplicateMembers(item, what);
                }

                break;
        }
    }

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

    private static AcmeProblemException Malformed(string detail) => new(AcmeProblems.Malformed(detail));
}
