using Org.BouncyCastle.Asn1.X509;

namespace Acme.Server.Hosting.Commands;

/// <summary>Reads the subject public key an operator names by file: a PEM <c>PUBLIC KEY</c> or a PEM <c>CERTIFICATE</c>.</summary>
public static class PublicKeyFile
{
    /// <summary>The DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), or null with the reason in <paramref name="error"/>.</summary>
    public static byte[]? Read(string path, out string? error)
    {
        error = null;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"cannot read {path}: {e.Message}";
            return null;
        }

        if (!System.Security.Cryptography.PemEncoding.TryFind(text, out var fields))
        {
            error = $"{path} holds no PEM block; give a PEM PUBLIC KEY or CERTIFICATE";
            return null;
        }

        var label = text[fields.Label];
        var der = Convert.FromBase64String(text[fields.Base64Data]);
        try
        {
            return label switch
            {
                "PUBLIC KEY" => SubjectPublicKeyInfo.GetInstance(der).GetDerEncoded(),
                "CERTIFICATE" => new Org.BouncyCastle.X509.X509Certificate(der).CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded(),
                _ => Refuse(out error, $"{path} holds a PEM {label}; give a PEM PUBLIC KEY or CERTIFICATE"),
            };
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or Org.BouncyCastle.Asn1.Asn1Exception
                                      or Org.BouncyCastle.Security.Certificates.CertificateException)
        {
            error = $"{path}: the {label} does not parse ({e.Message})";
            return null;
        }
    }

    private static byte[]? Refuse(out string? error, string message)
    {
        error = message;
        return null;
    }
}
