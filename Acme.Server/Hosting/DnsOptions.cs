namespace Acme.Server.Hosting;

/// <summary>
/// Section <c>Dns</c>: the resolver for DKIM key lookups (and CAA later). <c>Servers</c> is a list of
/// <c>host:port</c> (environment: <c>Dns__Servers__0=127.0.0.1:5353</c>); the system resolver when empty.
/// </summary>
public sealed class DnsOptions
{
    public const string Section = "Dns";

    public List<string> Servers { get; set; } = [];
}
