namespace Acme.Server.Hosting;

/// <summary>Section <c>Acme</c>: the protocol front end. Checked at start-up by <see cref="AcmeServerOptionsValidator"/>.</summary>
public sealed class AcmeServerOptions
{
    public const string Section = "Acme";

    /// <summary>Where all state lives (database, CA, TLS certificate, mail). Default <c>./data</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The external HTTPS base URL clients use, e.g. <c>https://acme.example.com</c>. Default: the first HTTPS listener.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The plain-HTTP base URL put into certificates for CRL and CA-issuer URLs (SBR 7.1.2.3 b, c). Default: the first HTTP listener.</summary>
    public string? HttpBaseUrl { get; set; }

    /// <summary>Terms of service URL; when set, newAccount requires <c>termsOfServiceAgreed</c> (SBR 4.1.2).</summary>
    public string? TermsOfService { get; set; }

    public string? Website { get; set; }

    /// <summary>Issuer domain names we accept in CAA <c>issuemail</c>, published in <c>meta.caaIdentities</c>.</summary>
    public List<string> CaaIdentities { get; set; } = [];

    /// <summary>When true, newAccount requires External Account Binding (RFC 8555 §7.3.4).</summary>
    public bool ExternalAccountRequired { get; set; }

    /// <summary>The challenge mailbox; each challenge's <c>from</c> is a plus-tagged address under it (RFC 8823 §3).</summary>
    public string ChallengeMailbox { get; set; } = "acme@acme.localhost";

    public TimeSpan OrderLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Lifetime of a pending authorization; at most 24 hours (SBR 3.2.2.4: Random Value lifetime).</summary>
    public TimeSpan PendingAuthorizationLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a valid authorization may be reused; at most 30 days (requirements A13, SBR 4.2.1).</summary>
    public TimeSpan ValidAuthorizationLifetime { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromHours(1);

    public int MaxIdentifiersPerOrder { get; set; } = 10;

    public int OrdersPageSize { get; set; } = 50;

    /// <summary>The profile used when newOrder names none.</summary>
    public string DefaultProfile { get; set; } = "smime-mailbox-strict";

    /// <summary>
    /// Compatibility switch (off by default): a <c>dns</c> identifier holding an address is read as an
    /// <c>email</c> identifier, and a dNSName SAN equal to an order address is tolerated in the CSR (never
    /// copied into the certificate). Orders, authorizations and problems still show it as <c>dns</c>, the type
    /// sent (its ACME library cannot read another). The certbot plugin acme_email needs this (client-interop 2.3).
    /// </summary>
    public bool RewriteDnsIdentifiersWithAt { get; set; }

    /// <summary>Test-only: percentage of valid nonces refused with badNonce. Refused outside Development.</summary>
    public int NonceRejectPercent { get; set; }
}
