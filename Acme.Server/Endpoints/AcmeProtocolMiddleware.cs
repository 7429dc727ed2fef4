using Acme.Server.Hosting;
using Acme.Server.Nonces;
using Acme.Server.Protocol.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Acme.Server.Endpoints;

/// <summary>
/// Wraps every resource. On ACME resources: a fresh <c>Replay-Nonce</c> on every response, errors
/// included (RFC 8555 §6.5), the directory <c>Link rel="index"</c> (§7.1) and CORS (§6.1). On all
/// of them, the public CRL and CA certificate included: the request size limits, and the one
/// translation of failures into problem documents — <see cref="AcmeProblemException"/> as is,
/// an error status set without a body (routing's 404 and 405, a bare result) as <c>malformed</c>
/// with that status, anything else as <c>serverInternal</c> with no internal detail. Operations resources
/// (<c>/health/…</c>, <c>/metrics</c>) pass through untouched.
/// </summary>
public sealed partial class AcmeProtocolMiddleware(RequestDelegate next, INonceStore nonces, AcmeUrls urls, ILogger<AcmeProtocolMiddleware> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (AcmePaths.IsOperationsPath(context.Request.Path.Value))
        {
            // Health and metrics answer in their own formats, even while the database (shared nonces) is down.
            await next(context);
            return;
        }

        if (!AcmePaths.IsPublicPkiPath(context.Request.Path.Value))
        {
            context.Response.OnStarting(async () =>
            {
                var headers = context.Response.Headers;
                headers["Replay-Nonce"] = await nonces.IssueAsync(context.RequestAborted);
                headers.AccessControlAllowOrigin = "*";
                if (context.Request.Path != AcmePaths.Directory)
                {
                    headers.Append("Link", $"<{urls.Directory}>;rel=\"index\"");
                }
            });
        }

        try
        {
            if (RequestLimits.Check(context) is { } tooLarge)
            {
                throw new AcmeProblemException(tooLarge);
            }

            await next(context);
            if (!context.Response.HasStarted && context.Response.StatusCode >= StatusCodes.Status400BadRequest)
            {
                var problem = BareStatusProblem(context);
                LogProblem(log, context.Request.Method, context.Request.Path.Value, problem.Type, problem.Detail);
                await AcmeProblemWriter.WriteAsync(context, problem);
            }
        }
        catch (AcmeProblemException e) when (!context.Response.HasStarted)
        {
            LogProblem(log, context.Request.Method, context.Request.Path.Value, e.Problem.Type, e.Problem.Detail);
            await AcmeProblemWriter.WriteAsync(context, e.Problem);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            // Kestrel's refusal while the application reads the body (too large, broken chunking, too slow).
            var problem = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? RequestLimits.BodyTooLarge(null)
                : AcmeProblems.ForBareStatus(e.StatusCode, e.Message);
            LogProblem(log, context.Request.Method, context.Request.Path.Value, problem.Type, problem.Detail);
            await AcmeProblemWriter.WriteAsync(context, problem);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            LogInternal(log, e, context.Request.Method, context.Request.Path.Value);
            context.Response.Clear();
            await AcmeProblemWriter.WriteAsync(context, AcmeProblems.ServerInternal());
        }
    }

    private static AcmeProblem BareStatusProblem(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        return response.StatusCode switch
        {
            StatusCodes.Status404NotFound => AcmeProblems.NotFound($"No resource at {request.Path}"),

            // RFC 8555 §6.3: resources other than the directory, newNonce and renewalInfo take POST only.
            StatusCodes.Status405MethodNotAllowed when response.Headers.Allow == HttpMethods.Post => AcmeProblems.MethodNotAllowed(
                $"{request.Method} is not allowed on {request.Path}; use POST (POST-as-GET to fetch, RFC 8555 §6.3)"),
            StatusCodes.Status405MethodNotAllowed => AcmeProblems.MethodNotAllowed(
                $"{request.Method} is not allowed on {request.Path}; allowed: {response.Headers.Allow}"),
            var status => AcmeProblems.ForBareStatus(status, $"{request.Method} {request.Path} was refused with status {status}"),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} refused: {Type}: {Detail}")]
    private static partial void LogProblem(ILogger logger, string method, string? path, string type, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed with an internal error")]
    private static partial void LogInternal(ILogger logger, Exception exception, string method, string? path);
}
