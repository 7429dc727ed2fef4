using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace Acme.Server.Issuance;

/// <summary>Random certificate serial numbers (SBR §7.1).</summary>
public static class CertificateSerials
{
    /// <summary>
    /// 159 bits from the CSPRNG: greater than 0 and less than 2^159, at least 64 random bits (SBR §7.1).
    /// </summary>
    public static BigInteger Next(SecureRandom random)
    {
        while (true)
        {
            var bytes = SecureRandom.GetNextBytes(random, 20);
            bytes[0] &= 0x7F;
            var serial = new BigInteger(1, bytes);
            if (serial.SignValue > 0)
            {
                return serial;
            }
        }
    }

    /// <summary>Lower-case hex without leading zeros.</summary>
    public static string ToHex(BigInteger serial) => serial.ToString(16).ToLowerInvariant();
}
