using System.Security.Cryptography;
using Acme.Validation.Codecs;

namespace Acme.Server.Hosting;

/// <summary>Random resource identifiers (128 bits, base64url) and their strict, anchored syntax check.</summary>
public static class ResourceIds
{
    public static string New() => StrictBase64Url.Encode(RandomNumberGenerator.GetBytes(16));

    public static bool IsWellFormed(string? id) =>
        id is { Length: 22 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
