using Org.BouncyCastle.Asn1.X509;

namespace Acme.Validation.Linting;

/// <summary>The SBR §7.1.2.3(e) keyUsage table, as BouncyCastle <see cref="KeyUsage"/> bit masks.</summary>
internal static class KeyUsageRows
{
    private const int Ds = KeyUsage.DigitalSignature;
    private const int Nr = KeyUsage.NonRepudiation;
    private const int Ke = KeyUsage.KeyEncipherment;
    private const int De = KeyUsage.DataEncipherment;
    private const int Ka = KeyUsage.KeyAgreement;
    private const int Eo = KeyUsage.EncipherOnly;
    private const int Do = KeyUsage.DecipherOnly;

    private static readonly (int Bit, string Name)[] Names =
    [
        (Ds, "digitalSignature"), (Nr, "nonRepudiation"), (Ke, "keyEncipherment"), (De, "dataEncipherment"),
        (Ka, "keyAgreement"), (KeyUsage.KeyCertSign, "keyCertSign"), (KeyUsage.CrlSign, "cRLSign"), (Eo, "encipherOnly"), (Do, "decipherOnly"),
    ];

    /// <summary>Every bit the key type's row allows in the given generation.</summary>
    public static int Allowed(SubjectKeyFamily family, bool strict) => family switch
    {
        SubjectKeyFamily.Rsa => strict ? Ds | Nr | Ke : Ds | Nr | Ke | De,
        SubjectKeyFamily.Ec => Ds | Nr | Ka | Eo | Do,
        SubjectKeyFamily.EdDsa => Ds | Nr,
        _ => 0,
    };

    /// <summary>
    /// True when <paramref name="bits"/> (already limited to the allowed ones) is a signing,
    /// key-management or dual-use combination of the row.
    /// </summary>
    public static bool IsValidCombination(SubjectKeyFamily family, int bits)
    {
        bool Has(int bit) => (bits & bit) != 0;
        return family switch
        {
            // Signing needs digitalSignature, key management keyEncipherment; nonRepudiation rides on
            // digitalSignature and dataEncipherment on keyEncipherment.
            SubjectKeyFamily.Rsa => (Has(Ds) || Has(Ke)) && (!Has(Nr) || Has(Ds)) && (!Has(De) || Has(Ke)),
            SubjectKeyFamily.Ec => (Has(Ds) || Has(Ka)) && (!Has(Nr) || Has(Ds))
                && (!(Has(Eo) || Has(Do)) || Has(Ka)) && !(Has(Eo) && Has(Do)),
            SubjectKeyFamily.EdDsa => Has(Ds),
            _ => false,
        };
    }

    /// <summary>The names of the set bits, comma separated.</summary>
    public static string Describe(int bits) =>
        string.Join(", ", Names.Where(n => (bits & n.Bit) != 0).Select(n => n.Name));
}
