using Acme.Validation.Outcomes;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace Acme.Validation.Csr;

/// <summary>
/// Turns a CSR's keyUsage request into a <see cref="RequestedKeyUsage"/> (RFC 8823 §3.3) and refuses
/// what the key type cannot do (SBR §7.1.2.3(e) key-usage table).
/// </summary>
internal static class CsrKeyUsageReader
{
    private const int SigningBits = KeyUsage.DigitalSignature | KeyUsage.NonRepudiation;
    private const int EncryptionBits = KeyUsage.KeyEncipherment | KeyUsage.KeyAgreement;

    /// <summary>
    /// The usage class, and a note when the request named the other encryption bit than the key type
    /// uses (RFC 8823 §3.3: keyEncipherment or keyAgreement asks for encryption; acme4j's
    /// SMIMECSRBuilder asks keyEncipherment for every key type), for the audit trail.
    /// </summary>
    public static ValidationOutcome<(RequestedKeyUsage Usage, string? Mapping)> Read(X509Extensions? extensions, CsrKeyKind kind)
    {
        var extension = extensions?.GetExtension(X509Extensions.KeyUsage);

        // RFC 8823 §3.3: no keyUsage request means a dual-use certificate. An Ed25519 key can only
        // sign (SBR 7.1.2.3 e), so a request that names no usage gets the one usage the key has;
        // an explicit encryption request is still refused below.
        if (extension is null)
        {
            return ValidationOutcome<(RequestedKeyUsage, string?)>.Success((kind == CsrKeyKind.Ed25519 ? RequestedKeyUsage.Signing : RequestedKeyUsage.Dual, null));
        }

        int bits;
        try
        {
            bits = DerBitString.GetInstance(extension.GetParsedValue()).IntValue;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or InvalidCastException or IOException)
        {
            return Fail("the CSR's keyUsage extension request cannot be parsed");
        }

        var other = bits & ~(SigningBits | EncryptionBits);
        if (other != 0)
        {
            // RFC 8823 §3.3: only the signing and encryption bits have a meaning here.
            return Fail($"the CSR's keyUsage request holds bits this CA never grants to a subscriber ({Describe(other)}); request only digitalSignature/nonRepudiation and/or keyEncipherment/keyAgreement");
        }

        var signing = (bits & SigningBits) != 0;
        var encryption = (bits & EncryptionBits) != 0;
        if (!signing && !encryption)
        {
            return Fail("the CSR's keyUsage request holds no bit at all");
        }

        var usage = signing && encryption ? RequestedKeyUsage.Dual
            : signing ? RequestedKeyUsage.Signing
            : RequestedKeyUsage.Encryption;

        // SBR §7.1.2.3(e): Ed25519 has no key-management use.
        if (kind == CsrKeyKind.Ed25519 && usage != RequestedKeyUsage.Signing)
        {
            return Fail("Ed25519 keys can only sign; the CSR's keyUsage request asks for keyEncipherment or keyAgreement");
        }

        // SBR §7.1.2.3(e): RSA encrypts with keyEncipherment, ECDSA keys with keyAgreement. RFC 8823 §3.3
        // reads either bit as an encryption request, so the other bit is mapped, never refused.
        string? mapping = null;
        if (kind == CsrKeyKind.Rsa && (bits & KeyUsage.KeyAgreement) != 0 && (bits & KeyUsage.KeyEncipherment) == 0)
        {
            mapping = "the CSR asked keyAgreement for an RSA key: read as an encryption request and issued as keyEncipherment (RFC 8823 §3.3, SBR 7.1.2.3 e)";
        }
        else if (kind is CsrKeyKind.EcP256 or CsrKeyKind.EcP384 or CsrKeyKind.EcP521 && (bits & KeyUsage.KeyEncipherment) != 0 && (bits & KeyUsage.KeyAgreement) == 0)
        {
            mapping = "the CSR asked keyEncipherment for an EC key: read as an encryption request and issued as keyAgreement (RFC 8823 §3.3, SBR 7.1.2.3 e)";
        }

        return ValidationOutcome<(RequestedKeyUsage, string?)>.Success((usage, mapping));
    }

    private static string Describe(int bits)
    {
        var names = new List<string>();
        if ((bits & KeyUsage.DataEncipherment) != 0)
        {
            names.Add("dataEncipherment");
        }

        if ((bits & KeyUsage.KeyCertSign) != 0)
        {
            names.Add("keyCertSign");
        }

        if ((bits & KeyUsage.CrlSign) != 0)
        {
            names.Add("cRLSign");
        }

        if ((bits & KeyUsage.EncipherOnly) != 0)
        {
            names.Add("encipherOnly");
        }

        if ((bits & KeyUsage.DecipherOnly) != 0)
        {
            names.Add("decipherOnly");
        }

        return names.Count > 0 ? string.Join(", ", names) : $"0x{bits:x}";
    }

    private static ValidationOutcome<(RequestedKeyUsage Usage, string? Mapping)> Fail(string detail) =>
        ValidationOutcome<(RequestedKeyUsage, string?)>.Fail(FailureKind.BadCsr, detail);
}
