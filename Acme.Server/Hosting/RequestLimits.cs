using System.Globalization;
using Acme.Server.Protocol.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Acme.Server.Hosting;

/// <summary>
/// The request size limits of the listener, enforced by the pipeline so that each refusal is a
/// problem document. Kestrel's own limits, which it enforces before the application runs and
/// answers with an empty 414 or 431, are raised above ours by <see cref="Configure"/>; only a
/// request beyond those still gets Kestrel's bare answer (docs/http-errors.md).
/// </summary>
public static class RequestLimits
{
    /// <summary>Longest request-target (path and query) we parse; Kestrel's default request line limit.</summary>
    public const int MaxRequestTargetLength = 8 * 1024;

    /// <summary>Largest total of request header names and values; Kestrel's default.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>Most request header fields; Kestrel's default.</summary>
    public const int MaxHeaderCount = 100;

    /// <summary>Largest JWS request body.</summary>
    public const int MaxJwsBodyBytes = 256 * 1024;

    private const int KestrelMaxRequestLineSize = 64 * 1024;
    private const int KestrelMaxHeadersTotalSize = 128 * 1024;
    private const int KestrelMaxHeaderCount = 400;

    /// <summary>Raises Kestrel's parse-time limits above ours, so requests between the two reach the pipeline.</summary>
    public static void Configure(KestrelServerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.MaxRequestLineSize = KestrelMaxRequestLineSize;
        limits.MaxRequestHeadersTotalSize = KestrelMaxHeadersTotalSize;
        limits.MaxRequestHeaderCount = KestrelMaxHeaderCount;
        limits.Http2.MaxRequestHeaderFieldSize = KestrelMaxRequestLineSize;
    }

    /// <summary>The problem for a request-target or header block over our limits, or null.</summary>
    public static AcmeProblem? Check(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;

        // RFC 9112 §3: a request-target longer than the server wishes to parse MUST get 414.
        if (target.Length > MaxRequestTargetLength)
        {
            return AcmeProblems.UriTooLong(
                $"The request target is {Number(target.Length)} characters long; this server accepts at most {Number(MaxRequestTargetLength)}");
        }

        var headers = context.Request.Headers;
        var count = 0;
        long bytes = 0;
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                count++;
                bytes += name.Length + (value?.Length ?? 0);
            }
        }

        // RFC 6585 §5: header fields too large to process are refused with 431.
        if (count > MaxHeaderCount)
        {
            return AcmeProblems.HeaderFieldsTooLarge($"The request has {Number(count)} header fields; this server accepts at most {Number(MaxHeaderCount)}");
        }

        return bytes > MaxHeaderBytes
            ? AcmeProblems.HeaderFieldsTooLarge($"The request header fields hold {Number(bytes)} bytes; this server accepts at most {Number(MaxHeaderBytes)}")
            : null;
    }

    /// <summary>The 413 problem for a JWS body over <see cref="MaxJwsBodyBytes"/>.</summary>
    public static AcmeProblem BodyTooLarge(long? declaredLength) => AcmeProblems.PayloadTooLarge(declaredLength is { } length
        ? $"The request body is {Number(length)} bytes; this server accepts at most {Number(MaxJwsBodyBytes)} bytes for a JWS"
        : $"The request body exceeds {Number(MaxJwsBodyBytes)} bytes, the most this server accepts for a JWS");

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
