using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Acme.Server.Endpoints;

/// <summary>Small helpers for shaping ACME responses: JSON body, Location, Link and Retry-After.</summary>
public static class AcmeResults
{
    public static IResult Json<T>(HttpContext context, T value, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK, string? location = null)
    {
        if (location is not null)
        {
            context.Response.Headers.Location = location;
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            // HEAD: GET's headers without a body (RFC 9110 §9.3.2); HTTP/2 clients refuse a HEAD answer that streams one.
            context.Response.ContentType = "application/json";
            return Results.StatusCode(status);
        }

        return Results.Json(value, type, "application/json", status);
    }

    public static void Link(HttpContext context, string url, string rel) =>
        context.Response.Headers.Append("Link", $"<{url}>;rel=\"{rel}\"");

    /// <summary>RFC 8555 §7.5.1, §8.2: a resource still processing carries Retry-After.</summary>
    public static void RetryAfter(HttpContext context, TimeSpan delay) =>
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
