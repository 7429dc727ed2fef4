using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Acme.Bench.Protocol;

/// <summary>
/// The one HttpClient per server: keep-alive HTTP/1.1 over a SocketsHttpHandler whose TLS check trusts only
/// the given PEM certificates (our server's self-signed certificate, or the TLS CA made for Pebble), for this
/// client alone; the host name must match as usual.
/// </summary>
public static class TrustedHttp
{
    /// <summary>Creates the client; <paramref name="trustedPemFile"/> holds the trust anchors.</summary>
    public static HttpClient Create(string trustedPemFile, int maxConnections, TimeSpan requestTimeout)
    {
        var anchors = new X509Certificate2Collection();
        anchors.ImportFromPemFile(trustedPemFile);
        if (anchors.Count == 0)
        {
            throw new InvalidOperationException($"no certificate in {trustedPemFile}");
        }

        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors, anchors),
            },
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = requestTimeout };
    }

    private static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection anchors)
    {
        // Only the chain is judged here; a missing certificate or a name mismatch is never accepted.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }
}
