using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace Acme.Validation.Profiles;

/// <summary>The fixed set of certificate profiles this CA offers.</summary>
public static class CertificateProfiles
{
    /// <summary>id-kp-emailProtection (RFC 5280 §4.2.1.12).</summary>
    public const string EmailProtectionOid = "1.3.6.1.5.5.7.3.4";

    /// <summary>Mailbox-validated Strict (SBR §7.1.6.1): EKU emailProtection only. The default.</summary>
    public static CertificateProfile MailboxStrict { get; } = new(
        "smime-mailbox-strict",
        "Mailbox-validated S/MIME certificate, Strict generation (SBR 2.23.140.1.5.1.3)",
        "2.23.140.1.5.1.3",
        new ReadOnlyCollection<string>([EmailProtectionOid]),
        AllowsDataEncipherment: false);

    /// <summary>Mailbox-validated Multipurpose (SBR §7.1.6.1).</summary>
    public static CertificateProfile MailboxMultipurpose { get; } = new(
        "smime-mailbox-multipurpose",
        "Mailbox-validated S/MIME certificate, Multipurpose generation (SBR 2.23.140.1.5.1.2)",
        "2.23.140.1.5.1.2",
        new ReadOnlyCollection<string>([EmailProtectionOid]),
        AllowsDataEncipherment: true);

    /// <summary>The profile used when the client names none.</summary>
    public static CertificateProfile Default => MailboxStrict;

    /// <summary>Every profile, the default first.</summary>
    public static IReadOnlyList<CertificateProfile> All { get; } =
        new ReadOnlyCollection<CertificateProfile>([MailboxStrict, MailboxMultipurpose]);

    /// <summary>Finds a profile by its exact (case-sensitive) name.</summary>
    /// <param name="name">The profile name.</param>
    /// <param name="profile">The profile, when found.</param>
    /// <returns>True when a profile of that name exists.</returns>
    public static bool TryGet(string? name, [NotNullWhen(true)] out CertificateProfile? profile)
    {
        profile = All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
        return profile is not null;
    }
}
