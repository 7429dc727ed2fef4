namespace Acme.Server.Hosting;

/// <summary>
/// Section <c>Tls</c>: the HTTPS certificate. Without paths, a self-signed certificate for
/// 127.0.0.1 and localhost is generated under the data directory on first start.
/// </summary>
public sealed class TlsOptions
{
    public const string Section = "Tls";

    /// <summary>PEM certificate (chain) file for HTTPS.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key file for HTTPS.</summary>
    public string? KeyPath { get; set; }
}
