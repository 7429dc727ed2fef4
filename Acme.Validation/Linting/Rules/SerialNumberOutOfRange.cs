using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting.Rules;

/// <summary>SBR §7.1: the serial number is greater than 0 and less than 2^159.</summary>
public sealed class SerialNumberOutOfRange : LintRule
{
    /// <inheritdoc />
    public override string Code => "pkix.certificate_serial_number_out_of_range";

    /// <inheritdoc />
    public override IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context)
    {
        var serial = certificate.SerialNumber;
        if (serial.SignValue <= 0 || serial.BitLength > 159)
        {
            yield return Error($"the serial number {serial.ToString(16)} is not in 1 .. 2^159-1");
        }
    }
}
