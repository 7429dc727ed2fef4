using Acme.Email.Challenges;
using Acme.Email.Dkim;
using Acme.Email.Pkcs11;
using Acme.Tests.Email.Challenges;
using Acme.Tests.Support.Hsm;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using MimeKit.Cryptography;

namespace Acme.Tests.Email.Dkim;

/// <summary>DKIM signatures made by an RSA key inside a SoftHSM token (Dkim:Pkcs11), checked by MimeKit's DkimVerifier.</summary>
[TestFixture]
[Category("Integration")]
public sealed class DkimPkcs11SigningTests
{
    private const string Domain = "ca.example.test";
    private const string Selector = "hsm";
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private EmailTestDirectory _dir = null!;
    private SoftHsmToken _token = null!;

    [OneTimeSetUp]
    public void CreateToken()
    {
        _dir = new EmailTestDirectory();
        _token = SoftHsm.CreateToken(_dir.Path);
        Pkcs11KeyGenerator.Generate(_token.Options("dkim"), "Test", Pkcs11KeyKind.Rsa, rsaBits: 2048).Dispose();
        Pkcs11KeyGenerator.Generate(_token.Options("other"), "Test", Pkcs11KeyKind.Rsa, rsaBits: 2048).Dispose();
        Pkcs11KeyGenerator.Generate(_token.Options("ec"), "Test", Pkcs11KeyKind.EcP256).Dispose();
    }

    [OneTimeTearDown]
    public void DeleteToken() => _dir.Dispose();

    private DkimSigningOptions Options(string keyLabel) =>
        new() { Domain = Domain, Selector = Selector, Pkcs11 = _token.Options(keyLabel) };

    private static MimeMessage Challenge() =>
        new ChallengeEmailBuilder().Build(new ChallengeMailRequest("acme+x1@ca.example.test", "alice@example.test", "LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6v", Domain, Now));

    private static async Task<bool> VerifyAllAsync(MimeMessage message, string txt)
    {
        var verifier = new DkimVerifier(new TxtRecordDkimLocator(new Dictionary<string, string> { [$"{Selector}._domainkey.{Domain}"] = txt }));
        var signatures = message.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToList();
        Assert.That(signatures, Has.Count.EqualTo(2), "the compact and the full signature");
        foreach (var signature in signatures)
        {
            if (!await verifier.VerifyAsync(message, signature))
            {
                return false;
            }
        }

        return true;
    }

    [Test]
    public async Task Sign_TokenRsaKey_VerifiesWithTheTokenPublicKey()
    {
        using var signer = new DkimMessageSigner(Options("dkim"), new FakeTimeProvider(Now));
        var message = Challenge();

        signer.Sign(message);
        var parsed = MimeMessage.Load(new MemoryStream(ChallengeEmailBuilderTests.Serialize(message)));

        Assert.That(signer.TxtValue, Does.StartWith("v=DKIM1; k=rsa; p="));
        Assert.That(await VerifyAllAsync(parsed, signer.TxtValue), Is.True);
    }

    [Test]
    public async Task Sign_TokenRsaKey_DoesNotVerifyWithAnotherKey()
    {
        using var signer = new DkimMessageSigner(Options("dkim"), new FakeTimeProvider(Now));
        using var other = new DkimMessageSigner(Options("other"), new FakeTimeProvider(Now));
        var message = Challenge();

        signer.Sign(message);
        var parsed = MimeMessage.Load(new MemoryStream(ChallengeEmailBuilderTests.Serialize(message)));

        Assert.That(await VerifyAllAsync(parsed, other.TxtValue), Is.False);
    }

    [Test]
    public void Constructor_EcTokenKey_ThrowsNamingKeyLabel()
    {
        Assert.That(() => new DkimMessageSigner(Options("ec"), new FakeTimeProvider(Now)),
            Throws.InvalidOperationException.With.Message.StartsWith("Dkim:Pkcs11:KeyLabel: 'ec' is not an RSA key"));
    }

    [Test]
    public void Constructor_UnknownKeyLabel_ThrowsNamingKeyLabel()
    {
        Assert.That(() => new DkimMessageSigner(Options("absent"), new FakeTimeProvider(Now)),
            Throws.InvalidOperationException.With.Message.StartsWith("Dkim:Pkcs11:KeyLabel: token"));
    }

    [Test]
    public void Validate_KeyPathAndToken_ThrowsNamingKeyPath()
    {
        var options = Options("dkim");
        options.KeyPath = "/some/key.pem";

        Assert.That(options.Validate, Throws.InvalidOperationException.With.Message.StartsWith("Dkim:KeyPath: set either it or Dkim:Pkcs11:Library"));
    }

    [Test]
    public void Validate_Ed25519WithToken_ThrowsNamingAlgorithm()
    {
        var options = Options("dkim");
        options.Algorithm = DkimSigningOptions.Ed25519Sha256;

        Assert.That(options.Validate, Throws.InvalidOperationException.With.Message.StartsWith("Dkim:Algorithm must be 'rsa-sha256' with a PKCS#11 key"));
    }
}
