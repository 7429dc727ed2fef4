namespace Acme.Server.Jws;

/// <summary>Which kind of JWS is being parsed; each kind has its own header rules.</summary>
public enum JwsRules
{
    /// <summary>An ordinary ACME request (RFC 8555 §6.2): <c>nonce</c> and <c>url</c> required, exactly one of <c>jwk</c> and <c>kid</c>.</summary>
    Outer,

    /// <summary>The inner JWS of a key change (RFC 8555 §7.3.5): <c>jwk</c> and <c>url</c> required, no <c>kid</c>, <c>nonce</c> optional.</summary>
    KeyChangeInner,

    /// <summary>An external account binding (RFC 8555 §7.3.4): HS256/HS384/HS512, <c>kid</c> and <c>url</c> required, no <c>jwk</c>, no <c>nonce</c>.</summary>
    ExternalAccountBinding,
}
