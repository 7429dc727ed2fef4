using Acme.Validation.Codecs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Support.Certificates;

/// <summary>RFC 9773 §4.1 certificate identifiers, computed independently of the server: AKI keyIdentifier and serial DER value bytes.</summary>
public static class AriIds
{
    public static string Of(X509Certificate leaf)
    {
        var aki = AuthorityKeyIdentifier.GetInstance(leaf.GetExtensionParsedValue(X509Extensions.AuthorityKeyIdentifier)).KeyIdentifier.GetOctets();
        return StrictBase64Url.Encode(aki) + "." + StrictBase64Url.Encode(leaf.SerialNumber.ToByteArray());
    }
}
