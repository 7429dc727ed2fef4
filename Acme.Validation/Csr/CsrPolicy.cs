namespace Acme.Validation.Csr;

/// <summary>Tunable parts of <see cref="CsrValidator"/>.</summary>
public sealed record CsrPolicy
{
    /// <summary>
    /// When true, a dNSName SAN whose text equals one of the order's mailbox addresses is ignored
    /// instead of refused (the certbot acme_email plugin writes the address there too).
    /// </summary>
    public bool TolerateDnsNamesEqualToMailboxes { get; init; }

    /// <summary>The smallest accepted RSA modulus in bits (SBR §6.1.5: at least 2048).</summary>
    public int MinimumRsaBits { get; init; } = 2048;

    /// <summary>The largest accepted RSA modulus in bits.</summary>
    public int MaximumRsaBits { get; init; } = 8192;
}
