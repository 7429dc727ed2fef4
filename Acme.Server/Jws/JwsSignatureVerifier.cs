namespace Acme.Server.Jws;

/// <summary>Checks the signature of a parsed JWS against the key the caller resolved (jwk or account).</summary>
public static class JwsSignatureVerifier
{
    /// <summary>
    /// True when <paramref name="key"/> fits the header's <c>alg</c> and the signature verifies
    /// over the JWS Signing Input (RFC 8555 §6.2: the server MUST verify the JWS signature).
    /// </summary>
    public static bool VerifySignature(FlattenedJws jws, JsonWebKey key)
    {
        ArgumentNullException.ThrowIfNull(jws);
        ArgumentNullException.ThrowIfNull(key);
        return key.IsCompatibleWith(jws.Header.Algorithm) && key.Verify(jws.Header.Algorithm, jws.SigningInput, jws.Signature);
    }
}
