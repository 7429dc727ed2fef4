using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Acme.Bench.Issuance;

/// <summary>
/// PKCS#10 requests with a fresh P-256 key, one subjectAltName and CN = that name, made with .NET's
/// OpenSSL-backed crypto (key generation and signature in BouncyCastle cost the client several ms each).
/// </summary>
public static class CsrFactory
{
    /// <summary>An S/MIME request: rfc822Name SAN = <paramref name="mailbox"/>, CN = mailbox.</summary>
    public static byte[] ForMailbox(string mailbox)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddEmailAddress(mailbox);
        return Create(mailbox, names);
    }

    /// <summary>A TLS request: dNSName SAN = <paramref name="dnsName"/>, CN = the name.</summary>
    public static byte[] ForDnsName(string dnsName)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        return Create(dnsName, names);
    }

    private static byte[] Create(string commonName, SubjectAlternativeNameBuilder names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSigningRequest();
    }
}
