using Acme.Validation.Identifiers;
using Org.BouncyCastle.X509;

namespace Acme.Validation.Linting;

/// <summary>The URIs a relying party fetches from a certificate (CRL distribution points, AIA), with their host kind.</summary>
internal static class UriHosts
{
    /// <summary>Every CRL distribution point and AIA access location URI with the kind of its host.</summary>
    public static IEnumerable<(string Uri, HostKind Kind)> Fetched(X509Certificate certificate)
    {
        var crl = CertificateReader.CrlFullNames(certificate).Select(CertificateReader.UriOf);
        var aia = CertificateReader.AccessDescriptions(certificate).Select(d => CertificateReader.UriOf(d.AccessLocation));
        foreach (var uri in crl.Concat(aia).OfType<string>())
        {
            if (Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Host.Length > 0)
            {
                yield return (uri, PublicHostNames.Icann.Classify(parsed.Host));
            }
        }
    }
}
