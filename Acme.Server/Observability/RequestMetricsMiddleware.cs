using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Acme.Server.Observability;

/// <summary>
/// Counts and times every request, outermost, so the status is the one the client got (problem documents
/// included). Labels are the route template (<c>/order/{id}</c>, never the raw path), a fixed method word and
/// the status: bounded, and taken from preallocated strings.
/// </summary>
public sealed class RequestMetricsMiddleware(RequestDelegate next, AcmeMetrics metrics, TimeProvider time)
{
    private const string Unmatched = "unmatched";

    public async Task InvokeAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var endpoint = context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } template } ? template : Unmatched;
            metrics.Request(endpoint, Method(context.Request.Method), context.Response.StatusCode, time.GetElapsedTime(started));
        }
    }

    private static string Method(string method) =>
        HttpMethods.IsPost(method) ? HttpMethods.Post
        : HttpMethods.IsGet(method) ? HttpMethods.Get
        : HttpMethods.IsHead(method) ? HttpMethods.Head
        : HttpMethods.IsOptions(method) ? HttpMethods.Options
        : "other";
}
