using System.Text.Json;
using Acme.Server.Protocol;
using Acme.Server.Protocol.Problems;
using Microsoft.AspNetCore.Http;

namespace Acme.Server.Endpoints;

/// <summary>The one writer of problem documents (RFC 8555 §6.7, RFC 7807).</summary>
public static class AcmeProblemWriter
{
    public static async Task WriteAsync(HttpContext context, AcmeProblem problem)
    {
        var response = context.Response;
        response.StatusCode = problem.Status;
        response.ContentType = "application/problem+json";
        if (problem.Location is not null)
        {
            response.Headers.Location = problem.Location;
        }

        if (problem.RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // RFC 9110 §15.5.6: a 405 carries Allow; routing set it from the methods the resource maps.
        if (problem.Status == StatusCodes.Status405MethodNotAllowed && string.IsNullOrEmpty(response.Headers.Allow))
        {
            response.Headers.Allow = HttpMethods.Post;
        }

        await JsonSerializer.SerializeAsync(response.Body, problem, AcmeJsonContext.Default.AcmeProblem, context.RequestAborted);
    }
}
