using Acme.Server.Protocol.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Acme.Server.Endpoints;

/// <summary>RFC 8555 §6.3: resources other than the directory and newNonce refuse plain GET with 405.</summary>
public static class PostOnly
{
    public static void RefuseGet(this IEndpointRouteBuilder app, params string[] patterns)
    {
        foreach (var pattern in patterns)
        {
            app.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Head], (HttpContext context) =>
                throw new AcmeProblemException(AcmeProblems.MethodNotAllowed(
                    $"{context.Request.Method} is not allowed on {context.Request.Path}; use POST (POST-as-GET to fetch, RFC 8555 §6.3)")));
        }
    }
}
