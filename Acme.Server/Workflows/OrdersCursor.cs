using System.Globalization;
using System.Text;
using Acme.Server.Protocol.Problems;
using Acme.Validation.Codecs;

namespace Acme.Server.Workflows;

/// <summary>Keyset cursor for the orders list: (created_at, id) of the last order shown, base64url.</summary>
public static class OrdersCursor
{
    public static string Encode((string Id, long CreatedAt) last) =>
        StrictBase64Url.Encode(Encoding.ASCII.GetBytes($"{last.CreatedAt.ToString(CultureInfo.InvariantCulture)}.{last.Id}"));

    public static (long BeforeCreatedAt, string BeforeId) Decode(string? cursor)
    {
        if (cursor is null)
        {
            return (long.MaxValue, "~");
        }

        if (StrictBase64Url.TryDecode(cursor, out var bytes))
        {
            var text = Encoding.ASCII.GetString(bytes);
            var dot = text.IndexOf('.');
            if (dot > 0 && long.TryParse(text[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var at))
            {
                return (at, text[(dot + 1)..]);
            }
        }

        throw new AcmeProblemException(AcmeProblems.Malformed($"'{cursor}' is not a valid orders cursor"));
    }
}
