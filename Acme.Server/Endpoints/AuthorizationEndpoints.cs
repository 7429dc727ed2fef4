using Acme.Server.Hosting;
using Acme.Server.Jws;
using Acme.Server.Protocol;
using Acme.Server.Protocol.Problems;
using Acme.Server.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Acme.Server.Endpoints;

/// <summary>Authorizations and their email-reply-00 challenges (RFC 8555 §7.5, RFC 8823 §3).</summary>
public static class AuthorizationEndpoints
{
    private static readonly TimeSpan ChallengePollInterval = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapAuthorizationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(AcmePaths.Authorization, async (string id, HttpContext context, AcmeRequestReader reader, AuthorizationService authorizations,
            ResourceMapper mapper, TimeProvider time) =>
        {
            var request = await reader.ReadAsync(context, KeyMode.Kid, context.RequestAborted);
            if (request.Payload is { } payload)
            {
                // RFC 8555 §7.5.2: the only update a client may send is deactivation.
                if (PayloadReader.OptionalString(payload, "status") != "deactivated")
                {
                    throw new AcmeProblemException(AcmeProblems.Malformed("An authorization update must be {\"status\":\"deactivated\"}"));
                }

                await authorizations.DeactivateAsync(request.RequiredAccount, id, context.RequestAborted);
            }

            var (authorization, challenges) = await authorizations.GetAsync(request.RequiredAccount, id, context.RequestAborted);
            var resource = mapper.Authorization(authorization, challenges, time.GetUtcNow());
            if (resource.Challenges.Any(c => c.Status == StatusText.Of(ChallengeStatus.Processing)))
            {
                AcmeResults.RetryAfter(context, ChallengePollInterval);
            }

            return AcmeResults.Json(context, resource, AcmeJsonContext.Default.AuthorizationResource);
        });

        app.MapPost(AcmePaths.Challenge, async (string id, HttpContext context, AcmeRequestReader reader, ChallengeService challenges,
            ResourceMapper mapper, AcmeUrls urls) =>
        {
            var request = await reader.ReadAsync(context, KeyMode.Kid, context.RequestAborted);

            // RFC 8555 §7.5.1 and erratum 5729: a response object ({} for email-reply-00) triggers; POST-as-GET fetches.
            if (!request.IsPostAsGet)
            {
                PayloadReader.RequireObject(request.Payload, "A challenge response");
            }

            var (challenge, authorization) = request.IsPostAsGet
                ? await challenges.GetAsync(request.RequiredAccount, id, context.RequestAborted)
                : await challenges.RespondAsync(request.RequiredAccount, id, context.RequestAborted);
            AcmeResults.Link(context, urls.Authorization(challenge.AuthorizationId), "up");
            if (challenge.Status == ChallengeStatus.Processing)
            {
                AcmeResults.RetryAfter(context, ChallengePollInterval); // RFC 8555 §8.2
            }

            return AcmeResults.Json(context, mapper.Challenge(challenge, authorization), AcmeJsonContext.Default.ChallengeResource);
        });

        return app;
    }
}
