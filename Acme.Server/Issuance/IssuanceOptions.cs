using Acme.Email.Pkcs11;

namespace Acme.Server.Issuance;

/// <summary>Settings of the issuing CA, bound from the configuration section "Issuance".</summary>
public sealed class IssuanceOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Issuance";

    /// <summary>The longest validity the SBR permit for Strict and Multipurpose (SBR §6.3.2).</summary>
    public const int MaximumValidityDays = 825;

    /// <summary>PEM file of the issuing CA certificate (production). Null selects the development CA.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>PEM file of the issuing CA private key, PKCS#8 or traditional (production).</summary>
    public string? CaKeyPath { get; set; }

    /// <summary>
    /// A file whose first line is the passphrase of an encrypted PKCS#8 <see cref="CaKeyPath"/>
    /// (<c>-----BEGIN ENCRYPTED PRIVATE KEY-----</c>). Leave unset for an unencrypted key.
    /// </summary>
    public string? CaKeyPassphraseFile { get; set; }

    /// <summary>
    /// The issuing CA key in a PKCS#11 token instead of <see cref="CaKeyPath"/>: <c>Issuance:Pkcs11:Library</c>,
    /// <c>:TokenLabel</c>, <c>:KeyLabel</c>, <c>:PinFile</c>. The key never leaves the token.
    /// </summary>
    public Pkcs11KeyOptions Pkcs11 { get; set; } = new();

    /// <summary>Optional PEM file with the intermediates above the issuing CA, root excluded.</summary>
    public string? ChainPath { get; set; }

    /// <summary>Directory where the development CA is created and kept when no production CA is configured.</summary>
    public string? DevelopmentCaDirectory { get; set; }

    /// <summary>Subscriber certificate validity in days, 1 to 825 (SBR §6.3.2).</summary>
    public int ValidityDays { get; set; } = 365;

    /// <summary>How far notBefore is set before the issuance time, to absorb client clock skew.</summary>
    public TimeSpan BackdateBy { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>HTTP URL of the CRL, placed in cRLDistributionPoints (SBR §7.1.2.3(b)).</summary>
    public string CrlUrl { get; set; } = string.Empty;

    /// <summary>HTTP URL of the issuing CA certificate, placed in authorityInformationAccess (SBR §7.1.2.3(c)).</summary>
    public string CaIssuersUrl { get; set; } = string.Empty;

    /// <summary>
    /// Lets internal host names and reserved addresses stand in the CRL and CA-issuer URLs: the linter
    /// then warns instead of refusing (pkilint <c>cabf.internal_domain_name</c>) and start-up accepts such an
    /// <c>Acme:HttpBaseUrl</c>. For private PKIs whose relying parties share the internal network. Unset:
    /// true in the Development environment, false elsewhere.
    /// </summary>
    public bool? AllowInternalUrls { get; set; }

    /// <summary>
    /// An order still in processing this long after finalize started was left behind (a crash, a
    /// stalled attempt): the recovery completes it from the stored CSR or makes it invalid. It runs at
    /// start-up and every half of this time. Issuance itself takes milliseconds.
    /// </summary>
    public TimeSpan RecoverProcessingAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Throws <see cref="InvalidOperationException"/> naming the setting when a value is out of range.
    /// </summary>
    public void Validate(bool requireUrls = true)
    {
        // SBR §6.3.2: at most 825 days.
        if (ValidityDays is < 1 or > MaximumValidityDays)
        {
            throw new InvalidOperationException(
                $"Issuance:ValidityDays is {ValidityDays}; it must be between 1 and {MaximumValidityDays} (SBR §6.3.2).");
        }

        if (BackdateBy < TimeSpan.Zero || BackdateBy > TimeSpan.FromDays(1))
        {
            throw new InvalidOperationException($"Issuance:BackdateBy is {BackdateBy}; it must be between 0 and 1 day.");
        }

        if (RecoverProcessingAfter < TimeSpan.FromSeconds(1) || RecoverProcessingAfter > TimeSpan.FromHours(1))
        {
            throw new InvalidOperationException($"Issuance:RecoverProcessingAfter is {RecoverProcessingAfter}; it must be between 1 second and 1 hour.");
        }

        // SBR §7.1.2.3(b), (c): HTTP URLs only.
        if (requireUrls || CrlUrl.Length > 0)
        {
            RequireHttpUrl(CrlUrl, "Issuance:CrlUrl");
        }

        if (requireUrls || CaIssuersUrl.Length > 0)
        {
            RequireHttpUrl(CaIssuersUrl, "Issuance:CaIssuersUrl");
        }
    }

    private static void RequireHttpUrl(string value, string setting)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new InvalidOperationException($"{setting} is '{value}'; it must be an absolute http:// URL (SBR §7.1.2.3).");
        }
    }
}
