namespace Acme.Server.Observability;

/// <summary>The <c>Metrics</c> section: the Prometheus endpoint.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Whether <c>GET /metrics</c> is served at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// A file holding the bearer token scrapers must send (<c>Authorization: Bearer …</c>); without it the
    /// endpoint is open. Read at start-up; surrounding whitespace is ignored.
    /// </summary>
    public string? BearerTokenFile { get; set; }
}
