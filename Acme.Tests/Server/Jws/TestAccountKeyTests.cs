using System.Text;
using System.Text.Json;
using Acme.Server.Jws;
using Acme.Tests.Support.Jose;
using Org.BouncyCastle.Security;

namespace Acme.Tests.Server.Jws;

/// <summary>The test signer must hand out BouncyCastle keys that match its JWK (they sign CSRs).</summary>
public sealed class TestAccountKeyTests
{
    [TestCase("ES256", "SHA-256withPLAIN-ECDSA")]
    [TestCase("ES384", "SHA-384withPLAIN-ECDSA")]
    [TestCase("ES512", "SHA-512withPLAIN-ECDSA")]
    [TestCase("RS256", "SHA256withRSA")]
    [TestCase("EdDSA", "Ed25519")]
    public void ToBouncyCastle_SignatureFromPrivateKey_VerifiesWithJwk(string alg, string bcAlgorithm)
    {
        using var key = TestAccountKey.Create(alg);
        var pair = key.ToBouncyCastle();
        var input = Encoding.ASCII.GetBytes("header.payload");
        var signer = SignerUtilities.GetSigner(bcAlgorithm);
        signer.Init(true, pair.Private);
        signer.BlockUpdate(input, 0, input.Length);
        var signature = signer.GenerateSignature();
        using var document = JsonDocument.Parse(key.PublicJwk().ToJsonString());

        var jwk = JsonWebKey.Parse(document.RootElement);

        Assert.That(jwk.Verify(alg, input, signature), Is.True);
        Assert.That(SubjectPublicKeyInfoOf(pair), Is.EqualTo(key.SubjectPublicKeyInfo));
    }

    private static byte[] SubjectPublicKeyInfoOf(Org.BouncyCastle.Crypto.AsymmetricCipherKeyPair pair) =>
        Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(pair.Public).GetDerEncoded();
}
