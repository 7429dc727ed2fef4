using System.Text.Json;
using Acme.Server.Protocol.Problems;
using Acme.Validation.Codecs;

namespace Acme.Server.Jws;

/// <summary>The protected-header rules of RFC 8555 §6.2, §7.3.4 and §7.3.5.</summary>
internal static class JwsHeaderRules
{
    private static readonly string[] MacAlgorithms = ["HS256", "HS384", "HS512"];

    public static JwsHeader Check(JsonElement raw, JwsRules rules)
    {
        var alg = OptionalString(raw, "alg")
            ?? throw Malformed("the protected header has no \"alg\" (RFC 7515 §4.1.1)");
        CheckAlgorithm(alg, rules);

        // RFC 8555 §6.2: the JWS Unencoded Payload Option (RFC 7797) MUST NOT be used; we
        // understand no critical extensions, so "crit" is refused as well (RFC 7515 §4.1.11).
        foreach (var name in (string[])["b64", "crit"])
        {
            if (raw.TryGetProperty(name, out _))
            {
                throw Malformed($"the protected header member \"{name}\" is not allowed (RFC 8555 §6.2, RFC 7797)");
            }
        }

        var hasJwk = raw.TryGetProperty("jwk", out var jwkElement);
        var kid = OptionalString(raw, "kid");
        var nonce = OptionalString(raw, "nonce");
        var url = OptionalString(raw, "url");

        // RFC 8555 §6.2: "jwk" and "kid" are mutually exclusive; servers MUST reject both.
        if (hasJwk && kid is not null)
        {
            throw Malformed("the protected header has both \"jwk\" and \"kid\"; exactly one is allowed (RFC 8555 §6.2)");
        }

        switch (rules)
        {
            case JwsRules.Outer:
                // RFC 8555 §6.2: the protected header MUST include either "jwk" or "kid".
                if (!hasJwk && kid is null)
                {
                    throw Malformed("the protected header has neither \"jwk\" nor \"kid\"; exactly one is required (RFC 8555 §6.2)");
                }

                // RFC 8555 §6.5: a request without a nonce is rejected with badNonce.
                if (nonce is null)
                {
                    throw new AcmeProblemException(AcmeProblems.BadNonce("the protected header has no \"nonce\" (RFC 8555 §6.5)"));
                }

                break;
            case JwsRules.KeyChangeInner:
                // RFC 8555 §7.3.5: the inner JWS MUST have a "jwk" header parameter (and so no "kid").
                if (!hasJwk)
                {
                    throw Malformed("the inner key-change JWS must carry the new key in \"jwk\" and must not use \"kid\" (RFC 8555 §7.3.5)");
                }

                break;
            case JwsRules.ExternalAccountBinding:
                // RFC 8555 §7.3.4: "kid" is the key identifier from the CA; no "jwk", no "nonce".
                if (hasJwk || kid is null)
                {
                    throw Malformed("the external account binding must use \"kid\" (the EAB key identifier) and must not carry \"jwk\" (RFC 8555 §7.3.4)");
                }

                if (nonce is not null)
                {
                    throw Malformed("the external account binding must not contain a \"nonce\" (RFC 8555 §7.3.4)");
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(rules), rules, "unknown JWS rules");
        }

        // RFC 8555 §6.5.2: the nonce MUST be base64url; otherwise the JWS is malformed.
        if (nonce is not null && (nonce.Length == 0 || !StrictBase64Url.TryDecode(nonce, out _)))
        {
            throw Malformed("the \"nonce\" header parameter is not non-empty unpadded base64url (RFC 8555 §6.5.2)");
        }

        // RFC 8555 §6.4 (outer), §7.3.5 (inner) and §7.3.4 (EAB): the protected header MUST carry "url".
        if (string.IsNullOrEmpty(url))
        {
            throw Malformed("the protected header has no \"url\" (RFC 8555 §6.4)");
        }

        if (kid is not null && kid.Length == 0)
        {
            throw Malformed("the \"kid\" header parameter is empty");
        }

        JsonWebKey? key = null;
        if (hasJwk)
        {
            key = JsonWebKey.Parse(jwkElement);
            if (!key.IsCompatibleWith(alg))
            {
                throw new AcmeProblemException(AcmeProblems.BadSignatureAlgorithm(
                    $"the algorithm {alg} cannot be used with the {Describe(key)} key in \"jwk\""));
            }
        }

        return new JwsHeader { Algorithm = alg, Nonce = nonce, Url = url, KeyId = kid, Key = key, Raw = raw.Clone() };
    }

    private static void CheckAlgorithm(string alg, JwsRules rules)
    {
        if (rules == JwsRules.ExternalAccountBinding)
        {
            // RFC 8555 §7.3.4: the "alg" MUST indicate a MAC-based algorithm.
            if (!MacAlgorithms.Contains(alg, StringComparer.Ordinal))
            {
                throw Malformed($"the external account binding algorithm \"{alg}\" is not allowed; use HS256, HS384 or HS512 (RFC 8555 §7.3.4)");
            }

            return;
        }

        // RFC 8555 §6.2: "alg" MUST NOT be "none" and MUST NOT be a MAC-based algorithm.
        if (alg == "none")
        {
            throw BadAlgorithm("the algorithm \"none\" is not allowed (RFC 8555 §6.2)");
        }

        if (MacAlgorithms.Contains(alg, StringComparer.Ordinal))
        {
            throw BadAlgorithm($"the MAC algorithm \"{alg}\" is not allowed for ACME requests (RFC 8555 §6.2)");
        }

        if (!AcmeProblems.SupportedAlgorithms.Contains(alg, StringComparer.Ordinal))
        {
            throw BadAlgorithm($"the algorithm \"{alg}\" is not supported; use one of {string.Join(", ", AcmeProblems.SupportedAlgorithms)}");
        }
    }

    private static string? OptionalString(JsonElement raw, string name)
    {
        if (!raw.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Malformed($"the protected header member \"{name}\" must be a string, not {StrictJson.Describe(value.ValueKind)}");
        }

        return value.GetString();
    }

    private static string Describe(JsonWebKey key) => key.Curve is null ? key.KeyType : $"{key.KeyType} {key.Curve}";

    private static AcmeProblemException BadAlgorithm(string detail) => new(AcmeProblems.BadSignatureAlgorithm(detail));

    private static AcmeProblemException Malformed(string detail) => new(AcmeProblems.Malformed(detail));
}
