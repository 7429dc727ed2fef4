using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acme.Server.Jws;
using Acme.Server.Protocol.Problems;
using Acme.Tests.Support.Jose;
using Acme.Validation.Codecs;

namespace Acme.Tests.Server.Jws;

public sealed class JsonWebKeyTests
{
    // RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint.
    private const string Rfc7638N =
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

    private const string Rfc7638Thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    private static readonly string[] Algorithms = ["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"];

    [Test]
    public void Thumbprint_Rfc7638Example_MatchesRfc()
    {
        var key = JsonWebKey.Parse(Element($$"""{"kty":"RSA","n":"{{Rfc7638N}}","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"""));

        Assert.That(key.Thumbprint, Is.EqualTo(Rfc7638Thumbprint));
    }

    [Test]
    public void ToJson_Rfc7638Example_IsRequiredMembersInOrder()
    {
        var key = JsonWebKey.Parse(Element($$"""{"n":"{{Rfc7638N}}","kty":"RSA","use":"sig","e":"AQAB"}"""));

        Assert.That(key.ToJson(), Is.EqualTo($$"""{"e":"AQAB","kty":"RSA","n":"{{Rfc7638N}}"}"""));
    }

    [TestCaseSource(nameof(Algorithms))]
    public void Thumbprint_TestKey_MatchesIndependentComputation(string alg)
    {
        using var testKey = TestAccountKey.Create(alg);

        var key = JsonWebKey.Parse(Element(testKey.PublicJwk()));

        Assert.That(key.Thumbprint, Is.EqualTo(testKey.Thumbprint));
    }

    [TestCaseSource(nameof(Algorithms))]
    public void ToJson_ParsedAgain_SameThumbprintAndJson(string alg)
    {
        using var testKey = TestAccountKey.Create(alg);
        var key = JsonWebKey.Parse(Element(testKey.PublicJwk()));

        var again = JsonWebKey.Parse(Element(key.ToJson()));

        Assert.That(again.Thumbprint, Is.EqualTo(key.Thumbprint));
        Assert.That(again.ToJson(), Is.EqualTo(key.ToJson()));
    }

    [TestCase("ES256", "EC", "P-256")]
    [TestCase("ES384", "EC", "P-384")]
    [TestCase("ES512", "EC", "P-521")]
    [TestCase("RS256", "RSA", null)]
    [TestCase("EdDSA", "OKP", "Ed25519")]
    public void Parse_TestKey_ReportsTypeAndCurve(string alg, string kty, string? crv)
    {
        using var testKey = TestAccountKey.Create(alg);

        var key = JsonWebKey.Parse(Element(testKey.PublicJwk()));

        Assert.That(key.KeyType, Is.EqualTo(kty));
        Assert.That(key.Curve, Is.EqualTo(crv));
    }

    [TestCaseSource(nameof(Algorithms))]
    public void SubjectPublicKeyInfo_TestKey_EqualsReferenceEncoding(string alg)
    {
        using var testKey = TestAccountKey.Create(alg);

        var key = JsonWebKey.Parse(Element(testKey.PublicJwk()));

        Assert.That(key.SubjectPublicKeyInfo, Is.EqualTo(testKey.SubjectPublicKeyInfo));
    }

    [TestCaseSource(nameof(Algorithms))]
    public void FromSubjectPublicKeyInfo_TestKey_RoundTrips(string alg)
    {
        using var testKey = TestAccountKey.Create(alg);

        var key = JsonWebKey.FromSubjectPublicKeyInfo(testKey.SubjectPublicKeyInfo);

        Assert.That(key.Thumbprint, Is.EqualTo(testKey.Thumbprint));
        Assert.That(key.SubjectPublicKeyInfo, Is.EqualTo(testKey.SubjectPublicKeyInfo));
    }

    [Test]
    public void FromSubjectPublicKeyInfo_NotDer_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => JsonWebKey.FromSubjectPublicKeyInfo([1, 2, 3, 4]));
    }

    [Test]
    public void FromSubjectPublicKeyInfo_Rsa1024_ThrowsArgumentException()
    {
        using var rsa = RSA.Create(1024);

        Assert.Throws<ArgumentException>(() => JsonWebKey.FromSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo()));
    }

    [Test]
    public void FromSubjectPublicKeyInfo_Secp256k1_ThrowsArgumentException()
    {
        using var ec = ECDsa.Create(ECCurve.CreateFromFriendlyName("secP256k1"));

        Assert.Throws<ArgumentException>(() => JsonWebKey.FromSubjectPublicKeyInfo(ec.ExportSubjectPublicKeyInfo()));
    }

    [TestCase("d")]
    [TestCase("p")]
    [TestCase("q")]
    [TestCase("dp")]
    [TestCase("dq")]
    [TestCase("qi")]
    [TestCase("k")]
    public void Parse_PrivateMember_Malformed(string member)
    {
        using var testKey = TestAccountKey.Create("RS256");
        var jwk = testKey.PublicJwk();
        jwk[member] = "AQAB";

        Assert.That(ProblemType(jwk), Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_EcPrivateKeyD_Malformed()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(true);
        var jwk = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!), ["d"] = B64(p.D!) };

        Assert.That(ProblemType(jwk), Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_SymmetricKey_BadPublicKey()
    {
        var jwk = new JsonObject { ["kty"] = "oct", ["k"] = "c2VjcmV0c2VjcmV0" };

        Assert.That(ProblemType(jwk), Is.EqualTo(AcmeProblemTypes.BadPublicKey));
    }

    [TestCase(1024)]
    [TestCase(1536)]
    public void Parse_SmallRsaKey_BadPublicKey(int bits)
    {
        using var rsa = RSA.Create(bits);
        var p = rsa.ExportParameters(false);
        var jwk = new JsonObject { ["kty"] = "RSA", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };

        Assert.That(ProblemType(jwk), Is.EqualTo(AcmeProblemTypes.BadPublicKey));
    }

    [TestCase("AQ", TestName = "Parse_RsaExponentOne_BadPublicKey")]
    [TestCase("AQAA", TestName = "Parse_RsaExponentEven_BadPublicKey")]
    public void Parse_RsaBadExponent_BadPublicKey(string e)
    {
        var jwk = new JsonObject { ["kty"] = "RSA", ["n"] = Rfc7638N, ["e"] = e };

        Assert.That(ProblemType(jwk), Is.EqualTo(AcmeProblemTypes.BadPublicKey));
    }

    [Test]
    public void Parse_RsaModulusWithLeadingZero_Malformed()
    {
        var n = StrictBase64Url.Encode([0, .. Decode(Rfc7638N)]);
        var jwk = new JsonObject { ["kty"] = "RSA", ["n"] = n, ["e"] = "AQAB" };

        Assert.That(ProblemType(jwk), Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [TestCase("ES256")]
    [TestCase("ES384")]
    [TestCase("ES512")]
    public void Parse_EcPointNotOnCurve_BadPublicKey(string alg)
    {
        using var testKey = TestAccountKey.Create(alg);
        var jwk = testKey.PublicJwk();
        var y = Decode((string)jwk["y"]!);
        y[^1] ^= 1;
        jwk["y"] = B64(y);

        Assert.That(ProblemType(jwk), Is.EqualTo(AcmeProblemTypes.BadPublicKey));
    }

    [Test]
    public void Parse_EcShortCoordinate_BadPublicKey()
    {
        using var testKey = TestAccountKey.Create("ES256");
        var jwk = testKey.PublicJwk();
        jwk["x"] = B64(Decode((string)jwk["x"]!)[1..]);

        Assert.That(ProblemType(jwk), Is.EqualTo(AcmeProblemTypes.BadPublicKey));
    }

    [TestCase("EC", "P-192")]
    [TestCase("EC", "secp256k1")]
    [TestCase("OKP", "X25519")]
    [TestCase("OKP", "Ed448")]
    public void Parse_UnsupportedCurve_BadPublicKey(string kty, string crv)
    {
        using var testKey = TestAccountKey.Create(kty == "EC" ? "ES256" : "EdDSA");
        var jwk = testKey.PublicJwk();
        jwk["crv"] = crv;

        Assert.That(ProblemType(jwk), Is.EqualTo(AcmeProblemTypes.BadPublicKey));
    }

    [Test]
    public void Parse_UnknownKeyType_BadPublicKey()
    {
        Assert.That(ProblemType(new JsonObject { ["kty"] = "DSA", ["y"] = "AQAB" }), Is.EqualTo(AcmeProblemTypes.BadPublicKey));
    }

    [Test]
    public void Parse_MissingKty_Malformed()
    {
        Assert.That(ProblemType(new JsonObject { ["n"] = Rfc7638N, ["e"] = "AQAB" }), Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [TestCase("AQAB=")]
    [TestCase("AQ+B")]
    [TestCase("AQ B")]
    public void Parse_NonBase64UrlMember_Malformed(string e)
    {
        Assert.That(ProblemType(new JsonObject { ["kty"] = "RSA", ["n"] = Rfc7638N, ["e"] = e }), Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_NonCanonicalTrailingBits_Malformed()
    {
        // "AQAC" would be canonical; "AQB" decodes to 01 00 with non-zero trailing bits.
        Assert.That(ProblemType(new JsonObject { ["kty"] = "RSA", ["n"] = Rfc7638N, ["e"] = "AQB" }), Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [Test]
    public void Parse_DuplicateMember_Malformed()
    {
        var problem = Assert.Throws<AcmeProblemException>(() =>
            JsonWebKey.Parse(Element($$"""{"kty":"RSA","n":"{{Rfc7638N}}","e":"AQAB","e":"AwAB"}""")))!.Problem;

        Assert.That(problem.Type, Is.EqualTo(AcmeProblemTypes.Malformed));
    }

    [TestCase("ES256", "ES256", true)]
    [TestCase("ES256", "ES384", false)]
    [TestCase("ES384", "ES384", true)]
    [TestCase("ES384", "ES256", false)]
    [TestCase("ES512", "ES512", true)]
    [TestCase("ES512", "ES384", false)]
    [TestCase("RS256", "RS256", true)]
    [TestCase("RS256", "PS256", true)]
    [TestCase("RS256", "ES256", false)]
    [TestCase("EdDSA", "EdDSA", true)]
    [TestCase("EdDSA", "ES256", false)]
    [TestCase("ES256", "EdDSA", false)]
    [TestCase("RS256", "RS384", false)]
    [TestCase("RS256", "HS256", false)]
    public void IsCompatibleWith_KeyAndAlgorithm_Table(string keyAlg, string alg, bool expected)
    {
        using var testKey = TestAccountKey.Create(keyAlg);
        var key = JsonWebKey.Parse(Element(testKey.PublicJwk()));

        Assert.That(key.IsCompatibleWith(alg), Is.EqualTo(expected));
    }

    private static string ProblemType(JsonObject jwk) =>
        Assert.Throws<AcmeProblemException>(() => JsonWebKey.Parse(Element(jwk)))!.Problem.Type;

    private static JsonElement Element(JsonObject json) => Element(json.ToJsonString());

    private static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static string B64(byte[] data) => StrictBase64Url.Encode(data);

    private static byte[] Decode(string text) =>
        StrictBase64Url.TryDecode(text, out var data) ? data : throw new ArgumentException("bad base64url in test", nameof(text));
}
