using System.Buffers.Binary;
using System.Security.Cryptography;
using Acme.Validation.Codecs;

namespace Acme.Server.Hosting;

/// <summary>
/// Resource identifiers (128 bits, base64url) and their strict, anchored syntax check. The first 48 bits are the
/// creation time in Unix milliseconds, the other 80 random: ids made close in time share their first characters,
/// so the b-tree pages that index them (primary keys, the foreign keys and the audit trail) are a few pages per
/// group commit instead of a random page per insert (issue 13). 80 random bits keep them unguessable and unique.
/// </summary>
public static class ResourceIds
{
    public static string New(DateTimeOffset now)
    {
        Span<byte> id = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(id, (ulong)now.ToUnixTimeMilliseconds() << 16);
        RandomNumberGenerator.Fill(id[6..]);
        return StrictBase64Url.Encode(id);
    }

    public static bool IsWellFormed(string? id) =>
        id is { Length: 22 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
