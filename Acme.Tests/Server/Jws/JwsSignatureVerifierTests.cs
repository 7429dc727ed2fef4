using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acme.Server.Jws;
using Acme.Tests.Support.Jose;
using Acme.Validation.Codecs;

namespace Acme.Tests.Server.Jws;

public sealed class JwsSignatureVerifierTests
{
    private const string Url = "https://acme.test/acme/new-account";
    private const string Nonce = "bm9uY2UtMg";
    private const string Payload = """{"termsOfServiceAgreed":true}""";

    private static readonly string[] Algorithms = ["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"];

    [TestCaseSource(nameof(Algorithms))]
    public void VerifySignature_SignedWithJwkKey_True(string alg)
    {
        using var key = TestAccountKey.Create(alg);
        var jws = Parse(JwsBuilder.Sign(key, JwsBuilder.Header(key, Url, Nonce, null), Payload));

        Assert.That(JwsSignatureVerifier.VerifySignature(jws, jws.Header.Key!), Is.True);
    }

    [TestCaseSource(nameof(Algorithms))]
    public void VerifySignature_PostAsGetWithStoredKey_True(string alg)
    {
        using var key = TestAccountKey.Create(alg);
        var stored = JsonWebKey.Parse(Element(key.PublicJwk()));
        var jws = Parse(JwsBuilder.Sign(key, JwsBuilder.Header(key, Url, Nonce, "https://acme.test/acme/acct/7"), string.Empty));

        Assert.That(JwsSignatureVerifier.VerifySignature(jws, stored), Is.True);
    }

    [TestCaseSource(nameof(Algorithms))]
    public void VerifySignature_TamperedPayload_False(string alg)
    {
        using var key = TestAccountKey.Create(alg);
        var body = JsonNode.Parse(JwsBuilder.Sign(key, JwsBuilder.Header(key, Url, Nonce, null), Payload))!.AsObject();
        body["payload"] = StrictBase64Url.Encode(Encoding.UTF8.GetBytes("""{"termsOfServiceAgreed":false}"""));
        var jws = Parse(body.ToJsonString());

        Assert.That(JwsSignatureVerifier.VerifySignature(jws, jws.Header.Key!), Is.False);
    }

    [TestCaseSource(nameof(Algorithms))]
    public void VerifySignature_FlippedSignatureBit_False(string alg)
    {
        using var key = TestAccountKey.Create(alg);
        var jws = Parse(JwsBuilder.Sign(key, JwsBuilder.Header(key, Url, Nonce, null), Payload));
        var signature = (byte[])jws.Signature.Clone();
        signature[signature.Length / 2] ^= 0x10;

        Assert.That(jws.Header.Key!.Verify(alg, jws.SigningInput, signature), Is.False);
    }

    [TestCaseSource(nameof(Algorithms))]
    public void VerifySignature_OtherKeyOfSameType_False(string alg)
    {
        using var key = TestAccountKey.Create(alg);
        using var other = TestAccountKey.Create(alg);
        var jws = Parse(JwsBuilder.Sign(key, JwsBuilder.Header(key, Url, Nonce, "https://acme.test/acme/acct/7"), Payload));

        Assert.That(JwsSignatureVerifier.VerifySignature(jws, JsonWebKey.Parse(Element(other.PublicJwk()))), Is.False);
    }

    [Test]
    public void VerifySignature_Es256HeaderWithP384AccountKey_False()
    {
        using var p256 = TestAccountKey.Create("ES256");
        using var p384 = TestAccountKey.Create("ES384");
        var accountKey = JsonWebKey.Parse(Element(p384.PublicJwk()));
        var jws = Parse(JwsBuilder.Sign(p256, JwsBuilder.Header(p256, Url, Nonce, "https://acme.test/acme/acct/7"), Payload));

        Assert.That(JwsSignatureVerifier.VerifySignature(jws, accountKey), Is.False);
    }

    [Test]
    public void Verify_P384KeyAskedForEs256_False()
    {
        using var p384 = TestAccountKey.Create("ES384");
        var key = JsonWebKey.Parse(Element(p384.PublicJwk()));
        var input = Encoding.ASCII.GetBytes("a.b");

        // Even a valid ES384 signature must not pass when alg says ES256.
        Assert.That(key.Verify("ES384", input, p384.Sign(input)), Is.True);
        Assert.That(key.Verify("ES256", input, p384.Sign(input)), Is.False);
    }

    [TestCase("RS256", "PS256")]
    [TestCase("PS256", "RS256")]
    public void Verify_RsaPaddingMismatch_False(string signedWith, string claimed)
    {
        using var key = TestAccountKey.Create(signedWith);
        var jwk = JsonWebKey.Parse(Element(key.PublicJwk()));
        var input = Encoding.ASCII.GetBytes("header.payload");

        Assert.That(jwk.Verify(claimed, input, key.Sign(input)), Is.False);
    }

    [Test]
    public void Verify_EcdsaDerSignature_False()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ecdsa.ExportParameters(false);
        var jwk = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = StrictBase64Url.Encode(p.Q.X!), ["y"] = StrictBase64Url.Encode(p.Q.Y!) };
        var key = JsonWebKey.Parse(Element(jwk));
        var input = Encoding.ASCII.GetBytes("header.payload");
        var der = ecdsa.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var raw = ecdsa.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        Assert.That(key.Verify("ES256", input, raw), Is.True);
        Assert.That(key.Verify("ES256", input, der), Is.False);
    }

    [TestCaseSource(nameof(Algorithms))]
    public void Verify_TruncatedSignature_False(string alg)
    {
        using var key = TestAccountKey.Create(alg);
        var jwk = JsonWebKey.Parse(Element(key.PublicJwk()));
        var input = Encoding.ASCII.GetBytes("header.payload");
        var signature = key.Sign(input);

        Assert.That(jwk.Verify(alg, input, signature.AsSpan(0, signature.Length - 1)), Is.False);
        Assert.That(jwk.Verify(alg, input, ReadOnlySpan<byte>.Empty), Is.False);
    }

    private static FlattenedJws Parse(string body) => JwsParser.Parse(Encoding.UTF8.GetBytes(body), JwsRules.Outer);

    private static JsonElement Element(JsonObject json)
    {
        using var document = JsonDocument.Parse(json.ToJsonString());
        return document.RootElement.Clone();
    }
}
