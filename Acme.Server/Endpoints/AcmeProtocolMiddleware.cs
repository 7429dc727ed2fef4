using Acme.Server.Hosting;
using Acme.Server.Nonces;
using Acme.Server.Protocol.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Acme.Server.Endpoints;

/// <summary>
/// Wraps every ACME resource: a fresh <c>Replay-Nonce</c> on every response, errors included
/// (RFC 8555 §6.5), the directory <c>Link rel="index"</c> (§7.1), CORS (§6.1), and the one
/// translation of exceptions into problem documents: <see cref="AcmeProblemException"/> as is,
/// anything else as <c>serverInternal</c> with no internal detail.
/// </summary>
public sealed partial class AcmeProtocolMiddleware(RequestDelegate next, NonceService nonces, AcmeUrls urls, ILogger<AcmeProtocolMiddleware> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (AcmePaths.IsPublicPkiPath(context.Request.Path.Value))
        {
            await next(context);
            return;
        }

        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers["Replay-Nonce"] = nonces.Issue();
            headers.AccessControlAllowOrigin = "*";
            if (context.Request.Path != AcmePaths.Directory)
            {
                headers.Append("Link", $"<{urls.Directory}>;rel=\"index\"");
            }

            return Task.CompletedTask;
        });

        try
        {
            await next(context);
            if (!context.Response.HasStarted && context.Response.StatusCode is 404 or 405 && context.GetEndpoint() is null)
            {
                await AcmeProblemWriter.WriteAsync(context, context.Response.StatusCode == 404
                    ? AcmeProblems.NotFound($"No resource at {context.Request.Path}")
                    : AcmeProblems.MethodNotAllowed($"{context.Request.Method} is not allowed on {context.Request.Path}"));
            }
        }
        catch (AcmeProblemException e) when (!context.Response.HasStarted)
        {
            LogProblem(log, context.Request.Method, context.Request.Path.Value, e.Problem.Type, e.Problem.Detail);
            await AcmeProblemWriter.WriteAsync(context, e.Problem);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await AcmeProblemWriter.WriteAsync(context, AcmeProblems.Malformed(e.Message));
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

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} refused: {Type}: {Detail}")]
    private static partial void LogProblem(ILogger logger, string method, string? path, string type, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed with an internal error")]
    private static partial void LogInternal(ILogger logger, Exception exception, string method, string? path);
}
