using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Acme.Server.Protocol.Problems;
using Acme.Validation.Outcomes;

namespace Acme.Server.Jws;

/// <summary>Checks the <c>externalAccountBinding</c> of a newAccount request (RFC 8555 §7.3.4).</summary>
public static class ExternalAccountBindingVerifier
{
    /// <summary>
    /// Verifies <paramref name="eab"/> and returns its key identifier. Failures are
    /// <see cref="FailureKind.Malformed"/> for a structurally wrong binding and
    /// <see cref="FailureKind.Unauthorized"/> for a binding that does not authenticate this request.
    /// </summary>
    /// <param name="eab">The <c>externalAccountBinding</c> member of the newAccount payload.</param>
    /// <param name="outerUrl">The <c>url</c> of the outer JWS (already checked by the caller).</param>
    /// <param name="accountKey">The account key from the outer JWS <c>jwk</c>.</param>
    /// <param name="findKey">Looks an EAB key up by its identifier; null when unknown.</param>
    public static ValidationOutcome<string> Verify(
        JsonElement eab, string outerUrl, JsonWebKey accountKey, Func<string, ExternalAccountKey?> findKey)
    {
        ArgumentNullException.ThrowIfNull(accountKey);
        ArgumentNullException.ThrowIfNull(findKey);
        if (eab.ValueKind != JsonValueKind.Object)
        {
            return Fail(FailureKind.Malformed, "externalAccountBinding must be a JWS object in Flattened JSON Serialization (RFC 8555 §7.3.4)");
        }

        FlattenedJws jws;
        try
        {
            jws = JwsParser.Parse(Encoding.UTF8.GetBytes(eab.GetRawText()), JwsRules.ExternalAccountBinding);
        }
        catch (AcmeProblemException e)
        {
            return Fail(FailureKind.Malformed, $"externalAccountBinding: {e.Problem.Detail}");
        }

        // RFC 8555 §7.3.4: the "url" MUST be the same as in the outer JWS.
        if (!string.Equals(jws.Header.Url, outerUrl, StringComparison.Ordinal))
        {
            return Fail(FailureKind.Unauthorized, $"the externalAccountBinding url \"{jws.Header.Url}\" differs from the request url \"{outerUrl}\" (RFC 8555 §7.3.4)");
        }

        var kid = jws.Header.KeyId!;
        var key = findKey(kid);
        if (key is null)
        {
            return Fail(FailureKind.Unauthorized, $"the external account key \"{kid}\" is unknown");
        }

        var alg = jws.Header.Algorithm;
        if (key.Algorithm != ExternalAccountKey.AnyAlgorithm && !string.Equals(key.Algorithm, alg, StringComparison.Ordinal))
        {
            return Fail(FailureKind.Unauthorized, $"the external account key \"{kid}\" must be used with {key.Algorithm}, not {alg}");
        }

        // RFC 8555 §7.3.4: verify that the MAC is valid.
        var expected = Mac(alg, key.HmacKey, jws.SigningInput);
        if (!CryptographicOperations.FixedTimeEquals(expected, jws.Signature))
        {
            return Fail(FailureKind.Unauthorized, $"the externalAccountBinding MAC does not verify with the key \"{kid}\"");
        }

        // RFC 8555 §7.3.4: the payload MUST be the account key from the outer "jwk".
        if (jws.IsPostAsGet)
        {
            return Fail(FailureKind.Malformed, "the externalAccountBinding payload is empty; it must be the account JWK (RFC 8555 §7.3.4)");
        }

        JsonWebKey boundKey;
        try
        {
            boundKey = JsonWebKey.Parse(jws.PayloadJson()!.Value);
        }
        catch (AcmeProblemException e)
        {
            return Fail(FailureKind.Malformed, $"the externalAccountBinding payload is not a usable JWK: {e.Problem.Detail}");
        }

        if (!string.Equals(boundKey.Thumbprint, accountKey.Thumbprint, StringComparison.Ordinal))
        {
            return Fail(FailureKind.Unauthorized, "the externalAccountBinding payload is not the account key of the request (RFC 8555 §7.3.4)");
        }

        return ValidationOutcome<string>.Success(kid);
    }

    private static byte[] Mac(string alg, byte[] key, byte[] data) => alg switch
    {
        "HS256" => HMACSHA256.HashData(key, data),
        "HS384" => HMACSHA384.HashData(key, data),
        "HS512" => HMACSHA512.HashData(key, data),
        _ => throw new ArgumentOutOfRangeException(nameof(alg), alg, "the parser admits only HS256, HS384 and HS512"),
    };

    private static ValidationOutcome<string> Fail(FailureKind kind, string detail) => ValidationOutcome<string>.Fail(kind, detail);
}
