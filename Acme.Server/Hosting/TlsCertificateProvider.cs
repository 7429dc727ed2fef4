using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Acme.Server.Hosting;

/// <summary>
/// The HTTPS certificate: loaded from <c>Tls:CertificatePath</c>/<c>Tls:KeyPath</c>, or, without them,
/// a self-signed certificate for 127.0.0.1, ::1 and localhost created once under <c>{data}/tls</c>.
/// </summary>
public static class TlsCertificateProvider
{
    public static (X509Certificate2 Certificate, string Path) Load(TlsOptions options, string dataDirectory, TimeProvider time)
    {
        if (options.CertificatePath is not null || options.KeyPath is not null)
        {
            var cert = Require(options.CertificatePath, "Tls:CertificatePath");
            var key = Require(options.KeyPath, "Tls:KeyPath");
            try
            {
                return (X509Certificate2.CreateFromPemFile(cert, key), cert);
            }
            catch (CryptographicException e)
            {
                throw new InvalidOperationException($"Tls:CertificatePath/Tls:KeyPath: '{cert}' and '{key}' are not a matching PEM certificate and key: {e.Message}", e);
            }
        }

        var directory = Path.Combine(dataDirectory, "tls");
        var certPath = Path.Combine(directory, "server.pem");
        var keyPath = Path.Combine(directory, "server.key");
        if (!File.Exists(certPath) || !File.Exists(keyPath))
        {
            Create(directory, certPath, keyPath, time);
        }

        return (X509Certificate2.CreateFromPemFile(certPath, keyPath), certPath);
    }

    private static void Create(string directory, string certPath, string keyPath, TimeProvider time)
    {
        DataDirectory.CreatePrivate(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Acme S/MIME server (development)", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        DataDirectory.WritePrivateFile(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certPath, certificate.ExportCertificatePem() + "\n");
    }

    private static string Require(string? path, string setting) =>
        string.IsNullOrWhiteSpace(path) ? throw new InvalidOperationException($"{setting} is not set; set both Tls:CertificatePath and Tls:KeyPath, or neither")
        : File.Exists(path) ? path
        : throw new InvalidOperationException($"{setting}: the file '{path}' does not exist");
}
