using System.Text.Json;

namespace Acme.Server.Jws;

/// <summary>The checked protected header of a JWS.</summary>
public sealed record JwsHeader
{
    /// <summary>The <c>alg</c> value, already known to be allowed for the <see cref="JwsRules"/> used.</summary>
    public required string Algorithm { get; init; }

    /// <summary>The <c>nonce</c> value (syntax checked, not yet checked against the store).</summary>
    public string? Nonce { get; init; }

    /// <summary>The <c>url</c> value (not yet compared with the request URL).</summary>
    public string? Url { get; init; }

    /// <summary>The <c>kid</c> value: an account URL, or the EAB key identifier.</summary>
    public string? KeyId { get; init; }

    /// <summary>The parsed <c>jwk</c>, already known to fit <see cref="Algorithm"/>.</summary>
    public JsonWebKey? Key { get; init; }

    /// <summary>The whole protected header as received (a clone, independent of any document).</summary>
    public required JsonElement Raw { get; init; }
}
