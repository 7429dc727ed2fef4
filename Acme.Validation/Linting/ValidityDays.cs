using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting;

/// <summary>The SBR §6.3.2 validity length: whole days of 86,400 s, any excess counting as one more day.</summary>
internal static class ValidityDays
{
    /// <summary>The validity in SBR days; the period includes both notBefore and notAfter (RFC 5280 §4.1.2.5).</summary>
    public static long Of(X509Certificate certificate)
    {
        var seconds = (long)(certificate.NotAfter - certificate.NotBefore).TotalSeconds + 1;
        return (seconds + 86_399) / 86_400;
    }
}
