using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Acme.Server.Observability;

/// <summary>The bearer token of <c>/metrics</c> (<see cref="MetricsOptions.BearerTokenFile"/>), read once at start-up and compared in fixed time.</summary>
public sealed class MetricsToken(IOptions<MetricsOptions> options)
{
    private readonly byte[]? _expected = options.Value.BearerTokenFile is { } path ? Encoding.UTF8.GetBytes(Read(path)) : null;

    public static string Read(string path) => File.ReadAllText(path).Trim();

    /// <summary>True when no token is configured, or the header is <c>Bearer</c> followed by exactly the token.</summary>
    public bool Admits(string? authorization)
    {
        if (_expected is null)
        {
            return true;
        }

        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, _expected);
    }
}
