using System.Text.Json.Nodes;
using Acme.Bench.Protocol;

namespace Acme.Bench.Issuance;

/// <summary>The RFC 8555 requests both flows share: newOrder, the authorization, challenge POST, finalize, download.</summary>
public static class OrderRequests
{
    /// <summary>The URLs of a new order.</summary>
    public sealed record NewOrder(string OrderUrl, string AuthorizationUrl, string FinalizeUrl);

    /// <summary>POST newOrder for one identifier (RFC 8555 §7.4).</summary>
    public static async Task<NewOrder> CreateAsync(AcmeSession session, string type, string value, CancellationToken ct)
    {
        var payload = new JsonObject { ["identifiers"] = new JsonArray(new JsonObject { ["type"] = type, ["value"] = value }) };
        var reply = await session.PostAsync(session.Directory.NewOrder, payload, ct);
        var json = reply.Json;
        if ((int)reply.Status != 201 || reply.Location is null || json is null)
        {
            throw new AcmeFailure(Steps.NewOrder, reply.Describe());
        }

        var authorization = json["authorizations"]?.AsArray().FirstOrDefault()?.GetValue<string>();
        var finalize = json["finalize"]?.GetValue<string>();
        return authorization is null || finalize is null
            ? throw new AcmeFailure(Steps.NewOrder, "order without authorization or finalize URL")
            : new NewOrder(reply.Location, authorization, finalize);
    }

    /// <summary>POST-as-GET of an order (RFC 8555 §7.4); fails unless it answers with the order's status.</summary>
    public static async Task FetchAsync(AcmeSession session, string orderUrl, CancellationToken ct)
    {
        var reply = await session.PostAsync(orderUrl, null, ct);
        if (!reply.IsSuccess || reply.ResourceStatus is null)
        {
            throw new AcmeFailure("order fetch", reply.Describe());
        }
    }

    /// <summary>POST-as-GET of the authorization; returns its challenge of <paramref name="challengeType"/>.</summary>
    public static async Task<JsonNode> ChallengeAsync(AcmeSession session, string authorizationUrl, string challengeType, CancellationToken ct)
    {
        var reply = await session.PostAsync(authorizationUrl, null, ct);
        if (!reply.IsSuccess || reply.Json is null)
        {
            throw new AcmeFailure(Steps.Authorization, reply.Describe());
        }

        return reply.Json["challenges"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == challengeType)
            ?? throw new AcmeFailure(Steps.Authorization, $"no {challengeType} challenge: {reply.Body}");
    }

    /// <summary>POST <c>{}</c> to the challenge (RFC 8555 §7.5.1), then poll the authorization until valid.</summary>
    public static async Task RespondAndWaitAsync(AcmeSession session, string challengeUrl, string authorizationUrl, TimeSpan pollMax, CancellationToken ct)
    {
        var reply = await session.PostAsync(challengeUrl, new JsonObject(), ct);
        if (!reply.IsSuccess || reply.ResourceStatus is null or "invalid")
        {
            throw new AcmeFailure(Steps.Valid, $"challenge POST: {reply.Describe()}");
        }

        await session.PollAsync(authorizationUrl, "valid", Steps.Valid, pollMax, ct);
    }

    /// <summary>Finalize with <paramref name="csrDer"/> (RFC 8555 §7.4), poll the order until valid; returns the certificate URL.</summary>
    public static async Task<string> FinalizeAsync(AcmeSession session, NewOrder order, byte[] csrDer, TimeSpan pollMax, CancellationToken ct)
    {
        var reply = await session.PostAsync(order.FinalizeUrl, new JsonObject { ["csr"] = Base64Url.Encode(csrDer) }, ct);
        if (!reply.IsSuccess || reply.ResourceStatus is null or "invalid")
        {
            throw new AcmeFailure(Steps.Finalize, reply.Describe());
        }

        if (reply.ResourceStatus != "valid")
        {
            reply = await session.PollAsync(order.OrderUrl, "valid", Steps.Finalize, pollMax, ct);
        }

        return reply.Json?["certificate"]?.GetValue<string>() ?? throw new AcmeFailure(Steps.Finalize, "valid order without certificate URL");
    }

    /// <summary>POST-as-GET of the certificate chain (RFC 8555 §7.4.2); checks that PEM came back.</summary>
    public static async Task DownloadAsync(AcmeSession session, string certificateUrl, CancellationToken ct)
    {
        var reply = await session.PostAsync(certificateUrl, null, ct);
        if (!reply.IsSuccess || !reply.Body.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            throw new AcmeFailure(Steps.Download, reply.Describe());
        }
    }
}
