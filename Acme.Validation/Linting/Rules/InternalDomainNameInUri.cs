using Acme.Validation.Identifiers;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1.2.3(b), (c): no internal domain name in the CRL or CA-issuer URLs (pkilint <c>cabf.internal_domain_name</c>).</summary>
public sealed class InternalDomainNameInUri : UnreachableUriHostRule
{
    /// <inheritdoc />
    public override string Code => "cabf.internal_domain_name";

    /// <inheritdoc />
    protected override HostKind Reported => HostKind.InternalName;

    /// <inheritdoc />
    protected override string Described => "an internal host";
}
