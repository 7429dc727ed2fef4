using Acme.Validation.Identifiers;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(b), (c): no loopback, private or documentation address in the CRL or CA-issuer URLs (pkilint <c>cabf.internal_ip_address</c>).</summary>
public sealed class InternalIpAddressInUri : UnreachableUriHostRule
{
    /// <inheritdoc />
    public override string Code => "cabf.internal_ip_address";

    /// <inheritdoc />
    protected override HostKind Reported => HostKind.ReservedIpAddress;

    /// <inheritdoc />
    protected override string Described => "a reserved IP address";
}
