using System.Globalization;

namespace Acme.Server.Observability;

/// <summary>HTTP status codes as label text, made once (an immutable table), so a request's label costs no allocation.</summary>
internal static class StatusCodeText
{
    private static readonly string[] Texts = [.. Enumerable.Range(0, 600).Select(code => code.ToString(CultureInfo.InvariantCulture))];

    public static string Of(int status) => (uint)status < (uint)Texts.Length ? Texts[status] : "other";
}
