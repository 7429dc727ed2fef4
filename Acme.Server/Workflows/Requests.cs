using System.Text.Json;
using Acme.Server.Protocol;
using Acme.Server.Protocol.Problems;
using Acme.Validation.Codecs;

namespace Acme.Server.Workflows;

/// <summary>
/// newOrder's payload (RFC 8555 §7.4), read at the endpoint edge: its shape is checked here, its meaning
/// (mailbox grammar, limits, profile, validity window) by <see cref="OrderService"/>. An operator command or a
/// test builds one directly, without a signed request.
/// </summary>
public sealed record NewOrderRequest(IReadOnlyList<Identifier> Identifiers, string? Profile = null, string? NotBefore = null, string? NotAfter = null, string? Replaces = null)
{
    public static NewOrderRequest Read(JsonElement? payload)
    {
        var p = PayloadReader.RequireObject(payload, "newOrder");
        if (!PayloadReader.TryGet(p, "identifiers", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            throw new AcmeProblemException(AcmeProblems.Malformed("newOrder needs a non-empty 'identifiers' array"));
        }

        var identifiers = list.EnumerateArray().Select(ReadIdentifier).ToList();
        return new NewOrderRequest(identifiers, PayloadReader.OptionalString(p, "profile"), PayloadReader.OptionalString(p, "notBefore"),
            PayloadReader.OptionalString(p, "notAfter"), PayloadReader.OptionalString(p, "replaces"));
    }

    private static Identifier ReadIdentifier(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object ||
            !item.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String ||
            !item.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw new AcmeProblemException(AcmeProblems.Malformed("Each identifier must be an object with string 'type' and 'value'"));
        }

        return new Identifier { Type = type.GetString()!, Value = value.GetString()! };
    }
}

/// <summary>
/// finalize's payload (RFC 8555 §7.4): the DER CSR. A payload without a readable <c>csr</c> keeps its
/// problem, which <see cref="FinalizeService"/> answers only once the order is ready (orderNotReady first).
/// </summary>
public sealed record FinalizeRequest(byte[]? Csr, AcmeProblem? Problem = null)
{
    public static FinalizeRequest Read(JsonElement? payload)
    {
        try
        {
            var p = PayloadReader.RequireObject(payload, "finalize");
            return StrictBase64Url.TryDecode(PayloadReader.OptionalString(p, "csr"), out var der)
                ? new FinalizeRequest(der)
                : new FinalizeRequest(null, AcmeProblems.Malformed("finalize needs 'csr': the DER CSR in unpadded base64url"));
        }
        catch (AcmeProblemException e)
        {
            return new FinalizeRequest(null, e.Problem);
        }
    }
}

/// <summary>revokeCert's payload (RFC 8555 §7.6): the DER certificate and the SBR-accepted reason code.</summary>
public sealed record RevokeRequest(byte[] Certificate, int? Reason = null)
{
    // RFC 5280 §5.3.1 codes a subscriber may give: unspecified (recorded without a reason, SBR 7.2.2),
    // keyCompromise, affiliationChanged, superseded, cessationOfOperation. certificateHold is
    // forbidden for Strict (SBR 7.2.2); the others are CA-side reasons.
    private static readonly HashSet<int> AllowedReasons = [0, 1, 3, 4, 5];

    public static RevokeRequest Read(JsonElement? payload)
    {
        var p = PayloadReader.RequireObject(payload, "revokeCert");
        if (!StrictBase64Url.TryDecode(PayloadReader.OptionalString(p, "certificate"), out var der))
        {
            throw new AcmeProblemException(AcmeProblems.Malformed("revokeCert needs 'certificate': the DER certificate in unpadded base64url"));
        }

        if (!PayloadReader.TryGet(p, "reason", out var reasonJson))
        {
            return new RevokeRequest(der);
        }

        if (reasonJson.ValueKind != JsonValueKind.Number || !reasonJson.TryGetInt32(out var code) || !AllowedReasons.Contains(code))
        {
            throw new AcmeProblemException(AcmeProblems.BadRevocationReason(
                $"Reason {reasonJson.GetRawText()} is not accepted; use 0 (unspecified), 1 (keyCompromise), 3 (affiliationChanged), 4 (superseded) or 5 (cessationOfOperation)"));
        }

        return new RevokeRequest(der, code == 0 ? null : code);
    }
}
