using System.Text.Json;
using Acme.Server.Protocol.Problems;

namespace Acme.Server.Workflows;

/// <summary>Typed reads of request payload members, each wrong type a <c>malformed</c> problem naming the member.</summary>
public static class PayloadReader
{
    public static JsonElement RequireObject(JsonElement? payload, string what) =>
        payload is { ValueKind: JsonValueKind.Object } p
            ? p
            : throw new AcmeProblemException(AcmeProblems.Malformed($"{what} needs a JSON object payload, not a POST-as-GET"));

    public static bool TryGet(JsonElement payload, string name, out JsonElement value) =>
        payload.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    public static bool? OptionalBool(JsonElement payload, string name)
    {
        if (!TryGet(payload, name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Bad(name, "a boolean"),
        };
    }

    public static string? OptionalString(JsonElement payload, string name)
    {
        if (!TryGet(payload, name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Bad(name, "a string");
    }

    public static IReadOnlyList<string>? OptionalStringArray(JsonElement payload, string name)
    {
        if (!TryGet(payload, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Bad(name, "an array of strings");
        }

        return value.EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Bad(name, "an array of strings"))
            .ToList();
    }

    private static AcmeProblemException Bad(string name, string expected) =>
        new(AcmeProblems.Malformed($"The payload member '{name}' must be {expected}"));
}
