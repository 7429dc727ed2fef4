using System.Text.Json;
using Acme.Server.Storage;

namespace Acme.Server.Jws;

/// <summary>Which key reference a resource accepts in the protected header (RFC 8555 §6.2).</summary>
public enum KeyMode
{
    /// <summary>An existing account's URL in <c>kid</c>.</summary>
    Kid,

    /// <summary>A public key in <c>jwk</c> (newAccount).</summary>
    Jwk,

    /// <summary>Either (revokeCert: the account, or the certificate's own key).</summary>
    Either,
}

/// <summary>A verified ACME request: the JWS, the key that signed it and, for <c>kid</c>, the account.</summary>
public sealed record AcmeRequest(FlattenedJws Jws, JsonWebKey Key, AccountRow? Account, string Url)
{
    public bool IsPostAsGet => Jws.IsPostAsGet;

    /// <summary>The account of a <c>kid</c> request; a programming error to ask for it otherwise.</summary>
    public AccountRow RequiredAccount => Account ?? throw new InvalidOperationException("request was not signed with kid");

    /// <summary>The payload as a JSON object, or null for POST-as-GET.</summary>
    public JsonElement? Payload => Jws.PayloadJson();
}
