using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;

namespace Acme.Server.Issuance;

/// <summary>Builds CRLs signed by the issuing CA (RFC 5280 §5, SBR §7.2).</summary>
public sealed class CrlGenerator
{
    private static readonly TimeSpan MaximumValidity = TimeSpan.FromDays(10);

    private readonly CaMaterial _ca;
    private readonly TimeProvider _time;

    /// <summary>Creates a generator for the given CA.</summary>
    public CrlGenerator(CaMaterial ca, TimeProvider time)
    {
        _ca = ca ?? throw new ArgumentNullException(nameof(ca));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>Builds and signs a CRL; returns its DER.</summary>
    /// <param name="revoked">The revoked certificates.</param>
    /// <param name="crlNumber">The monotonically increasing CRL number.</param>
    /// <param name="validity">The time from thisUpdate to nextUpdate, at most 10 days.</param>
    public byte[] Generate(IEnumerable<RevokedEntry> revoked, BigInteger crlNumber, TimeSpan validity)
    {
        ArgumentNullException.ThrowIfNull(revoked);
        ArgumentNullException.ThrowIfNull(crlNumber);

        // SBR §4.9.7: nextUpdate at most 10 days after thisUpdate.
        if (validity <= TimeSpan.Zero || validity > MaximumValidity)
        {
            throw new ArgumentOutOfRangeException(nameof(validity), validity, "CRL validity must be more than 0 and at most 10 days (SBR §4.9.7).");
        }

        if (crlNumber.SignValue < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(crlNumber), "the CRL number must not be negative");
        }

        var thisUpdate = Truncate(_time.GetUtcNow());
        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(_ca.Certificate.SubjectDN);
        generator.SetThisUpdate(thisUpdate);
        generator.SetNextUpdate(thisUpdate + validity);

        foreach (var entry in revoked)
        {
            var serial = new BigInteger(entry.SerialHex, 16);
            var revokedAt = Truncate(entry.RevokedAt);

            // SBR §7.2.2: reasonCode never critical and never unspecified (0); omitted when absent.
            if (entry.ReasonCode is null or 0)
            {
                generator.AddCrlEntry(serial, revokedAt, null);
            }
            else
            {
                var reason = entry.ReasonCode.Value;
                if (reason is < 1 or > 10 or 7)
                {
                    throw new ArgumentOutOfRangeException(nameof(revoked), reason, $"{reason} is not a CRLReason code (RFC 5280 §5.3.1)");
                }

                var extensions = new X509ExtensionsGenerator();
                extensions.AddExtension(X509Extensions.ReasonCode, false, new CrlReason(reason));
                generator.AddCrlEntry(serial, revokedAt, extensions.Generate());
            }
        }

        generator.AddExtension(X509Extensions.CrlNumber, false, new CrlNumber(crlNumber));

        // SBR §7.2.2: authorityKeyIdentifier with keyIdentifier only.
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(_ca.SubjectKeyIdentifier));

        var crl = generator.Generate(_ca.Signer.CreateSignatureFactory());
        crl.Verify(_ca.Certificate.GetPublicKey());
        return crl.GetEncoded();
    }

    private static DateTime Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
