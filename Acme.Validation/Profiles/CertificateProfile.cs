namespace Acme.Validation.Profiles;

/// <summary>
/// One certificate profile the CA issues under: the SBR generation (policy OID) and the
/// extension choices that go with it (SBR §7.1.2.3, §7.1.6.1).
/// </summary>
/// <param name="Name">The profile name clients select (for example <c>smime-mailbox-strict</c>).</param>
/// <param name="Description">A one-line human description.</param>
/// <param name="PolicyOid">The reserved SBR certificate policy OID placed in certificatePolicies.</param>
/// <param name="ExtendedKeyUsageOids">The extKeyUsage purposes placed in the certificate.</param>
/// <param name="AllowsDataEncipherment">Whether the SBR generation permits dataEncipherment for RSA keys.</param>
public sealed record CertificateProfile(
    string Name,
    string Description,
    string PolicyOid,
    IReadOnlyList<string> ExtendedKeyUsageOids,
    bool AllowsDataEncipherment);
