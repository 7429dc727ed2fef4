using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1: at least 64 bits of CSPRNG output; a serial shorter than 64 bits cannot hold them (warning heuristic).</summary>
public sealed class SerialNumberLowEntropy : LintRule
{
    /// <inheritdoc />
    public override string Code => "w_serial_number_low_entropy";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        var serial = certificate.SerialNumber;
        if (serial.SignValue > 0 && serial.BitLength < 64)
        {
            yield return Warning($"the serial number has {serial.BitLength} bits; at least 64 random bits are required");
        }
    }
}
