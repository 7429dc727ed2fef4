using System.Collections.Frozen;
using Org.BouncyCastle.Asn1.X509;

namespace Acme.Validation.Linting;

/// <summary>The SBR §7.1.3 AlgorithmIdentifier encodings, as lower-case DER hex.</summary>
internal static class AlgorithmEncodings
{
    /// <summary>SBR §7.1.3.1: rsaEncryption, P-256, P-384, P-521, Ed25519, Ed448.</summary>
    public static readonly FrozenSet<string> SubjectPublicKeyInfo = new[]
    {
        "300d06092a864886f70d0101010500",
        "301306072a8648ce3d020106082a8648ce3d030107",
        "301006072a8648ce3d020106052b81040022",
        "301006072a8648ce3d020106052b81040023",
        "300506032b6570",
        "300506032b6571",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>SBR §7.1.3.2: each permitted signature encoding and the issuer key it needs (see <see cref="KeyLabel"/>).</summary>
    public static readonly FrozenDictionary<string, string> Signature = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["300d06092a864886f70d01010b0500"] = "RSA", // sha256WithRSAEncryption
        ["300d06092a864886f70d01010c0500"] = "RSA", // sha384WithRSAEncryption
        ["300d06092a864886f70d01010d0500"] = "RSA", // sha512WithRSAEncryption
        ["300a06082a8648ce3d040302"] = "P-256", // ecdsa-with-SHA256
        ["300a06082a8648ce3d040303"] = "P-384", // ecdsa-with-SHA384
        ["300a06082a8648ce3d040304"] = "P-521", // ecdsa-with-SHA512
        ["300506032b6570"] = "Ed25519",
        ["300506032b6571"] = "Ed448",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The key label of a SubjectPublicKeyInfo: RSA, P-256, P-384, P-521, Ed25519, Ed448, or its encoding.</summary>
    public static string KeyLabel(SubjectPublicKeyInfo info) => CertificateReader.Hex(info.Algorithm) switch
    {
        "300d06092a864886f70d0101010500" => "RSA",
        "301306072a8648ce3d020106082a8648ce3d030107" => "P-256",
        "301006072a8648ce3d020106052b81040022" => "P-384",
        "301006072a8648ce3d020106052b81040023" => "P-521",
        "300506032b6570" => "Ed25519",
        "300506032b6571" => "Ed448",
        var other => other,
    };
}
