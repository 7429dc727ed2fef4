namespace Acme.Server.Observability;

/// <summary>The <c>Health</c> section: what <c>GET /health/ready</c> demands.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>The mail queue is stuck when its oldest waiting challenge mail was queued longer ago than this.</summary>
    public TimeSpan MaxQueuedMailAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long each readiness check may take before it counts as failed.</summary>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
