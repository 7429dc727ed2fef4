namespace Acme.Server.Hosting;

/// <summary>Section <c>Caa</c>: CAA <c>issuemail</c> checking (RFC 9495, SBR 4.2.2.1), through the resolver in <c>Dns:Servers</c>.</summary>
public sealed class CaaOptions
{
    public const string Section = "Caa";

    /// <summary>Checking is mandatory for publicly trusted CAs; turning it off is for private PKI and offline development.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Our issuer domain names; default <c>Acme:CaaIdentities</c>, else the challenge mailbox's domain.</summary>
    public List<string> IssuerDomains { get; set; } = [];

    /// <summary>SBR 4.2.2.1: a lookup failure may count as permission only for a provably unsigned zone. Off by default.</summary>
    public bool AllowInsecureLookupFailure { get; set; }

    /// <summary>
    /// How long a successful CAA answer for a name is reused by later checks (default 5 minutes, zero: never, at most
    /// 8 hours, SBR 4.2.2.1); the checks that reuse it are dated from its retrieval. Failures are never reused.
    /// </summary>
    public TimeSpan LookupReuse { get; set; } = TimeSpan.FromMinutes(5);
}
