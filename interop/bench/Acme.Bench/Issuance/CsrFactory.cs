using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace Acme.Bench.Issuance;

/// <summary>PKCS#10 requests with a fresh P-256 key (BouncyCastle), one subjectAltName and CN = that name.</summary>
public static class CsrFactory
{
    /// <summary>An S/MIME request: rfc822Name SAN = <paramref name="mailbox"/>, CN = mailbox.</summary>
    public static byte[] ForMailbox(string mailbox) => Create(mailbox, new GeneralName(GeneralName.Rfc822Name, mailbox));

    /// <summary>A TLS request: dNSName SAN = <paramref name="dnsName"/>, CN = the name.</summary>
    public static byte[] ForDnsName(string dnsName) => Create(dnsName, new GeneralName(GeneralName.DnsName, dnsName));

    private static byte[] Create(string commonName, GeneralName name)
    {
        var random = new SecureRandom();
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        var pair = generator.GenerateKeyPair();
        var extensions = new X509ExtensionsGenerator();
        extensions.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(name));
        var attributes = new DerSet(new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(extensions.Generate())));
        var subject = new X509Name([X509Name.CN], [commonName]);
        var request = new Pkcs10CertificationRequest(
            new Asn1SignatureFactory("SHA256WITHECDSA", pair.Private, random), subject, pair.Public, attributes);
        return request.GetDerEncoded();
    }
}
