namespace Acme.Server.Workflows;

/// <summary>
/// The RFC 5280 §5.3.1 reason names an operator may give, with their CRLReason codes. unspecified is recorded
/// without a code (SBR 7.2.2: the reasonCode is never unspecified). Refused: cACompromise and aACompromise
/// (not about a subscriber certificate), certificateHold (SBR 7.2.2: forbidden for Strict, and a revocation
/// here is final), removeFromCRL (delta CRLs only).
/// </summary>
public static class RevocationReasons
{
    private static readonly Dictionary<string, int> Codes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["unspecified"] = 0,
        ["keyCompromise"] = 1,
        ["affiliationChanged"] = 3,
        ["superseded"] = 4,
        ["cessationOfOperation"] = 5,
        ["privilegeWithdrawn"] = 9,
    };

    public static IEnumerable<string> Names => Codes.Keys;

    /// <summary>The code to store for <paramref name="name"/>: null for unspecified; false for a name not accepted.</summary>
    public static bool TryParse(string name, out int? code)
    {
        code = null;
        if (!Codes.TryGetValue(name, out var value))
        {
            return false;
        }

        code = value == 0 ? null : value;
        return true;
    }

    /// <summary>The RFC 5280 name of a stored code (null: unspecified).</summary>
    public static string NameOf(long? code) => code is null ? "unspecified" : Codes.FirstOrDefault(p => p.Value == code).Key ?? $"code {code}";
}
