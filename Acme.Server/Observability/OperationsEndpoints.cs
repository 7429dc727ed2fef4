using System.Text.Json;
using Acme.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Acme.Server.Observability;

/// <summary>
/// <c>GET /health/live</c>, <c>GET /health/ready</c> (JSON naming each check; 503 when not ready) and
/// <c>GET /metrics</c> (Prometheus text, optional bearer token). Not ACME resources: no nonce, no problem
/// documents (<see cref="AcmePaths.IsOperationsPath"/>).
/// </summary>
public static class OperationsEndpoints
{
    public const string ReadyTag = "ready";

    public static void MapOperationsEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(AcmePaths.HealthLive, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealthAsync });
        app.MapHealthChecks(AcmePaths.HealthReady, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteHealthAsync });
        app.MapGet(AcmePaths.Metrics, ServeMetricsAsync);
    }

    private static async Task ServeMetricsAsync(HttpContext context)
    {
        var services = context.RequestServices;
        if (!services.GetRequiredService<IOptions<MetricsOptions>>().Value.Enabled)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound; // Metrics:Enabled=false
            return;
        }

        if (!services.GetRequiredService<MetricsToken>().Admits(context.Request.Headers.Authorization))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("a bearer token is required (Metrics:BearerTokenFile)\n", context.RequestAborted);
            return;
        }

        var metrics = services.GetRequiredService<AcmeMetrics>();
        try
        {
            metrics.OldestWaitingMail(await services.GetRequiredService<MailQueueAge>().OldestAsync(context.RequestAborted));
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            metrics.OldestWaitingMail(null); // the database is down: /health/ready says so; the other numbers still matter
        }

        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, ExpositionFormat.PrometheusText, context.RequestAborted);
    }

    private static async Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("status", Text(report.Status));
        json.WriteStartArray("checks");
        foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("status", Text(entry.Status));
            json.WriteString("description", entry.Description ?? entry.Exception?.Message ?? string.Empty);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static string Text(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
