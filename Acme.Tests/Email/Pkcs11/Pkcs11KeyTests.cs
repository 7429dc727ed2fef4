using Acme.Email.Pkcs11;
using Acme.Tests.Support.Hsm;
using Org.BouncyCastle.Security;

namespace Acme.Tests.Email.Pkcs11;

[TestFixture]
[Category("Integration")]
public sealed class Pkcs11KeyTests
{
    private string _directory = null!;
    private SoftHsmToken _token = null!;

    [OneTimeSetUp]
    public void CreateToken()
    {
        _directory = Path.Combine(Path.GetTempPath(), "acme-pkcs11-" + Guid.NewGuid().ToString("N"));
        _token = SoftHsm.CreateToken(_directory);
    }

    [OneTimeTearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [TestCase(Pkcs11KeyKind.EcP256, "SHA256withECDSA")]
    [TestCase(Pkcs11KeyKind.EcP384, "SHA384withECDSA")]
    [TestCase(Pkcs11KeyKind.Rsa, "SHA256withRSA")]
    public void CreateSigner_TokenKey_SignatureVerifiesWithPublicKey(Pkcs11KeyKind kind, string algorithm)
    {
        using var key = Pkcs11KeyGenerator.Generate(_token.Options("sign-" + kind), "Test", kind, rsaBits: 2048);
        var data = "the data to be signed"u8.ToArray();

        var signer = key.CreateSigner();
        signer.Init(true, null!);
        signer.BlockUpdate(data, 0, data.Length);
        var signature = signer.GenerateSignature();

        var verifier = SignerUtilities.GetSigner(algorithm);
        verifier.Init(false, key.PublicKey);
        verifier.BlockUpdate(data, 0, data.Length);
        Assert.That(key.Kind, Is.EqualTo(kind));
        Assert.That(verifier.VerifySignature(signature), Is.True);
    }

    [Test]
    public void Open_TwoKeysOfOneToken_FirstDisposedSecondStillSigns()
    {
        using var first = Pkcs11KeyGenerator.Generate(_token.Options("first"), "Test", Pkcs11KeyKind.EcP256);
        using var second = Pkcs11KeyGenerator.Generate(_token.Options("second"), "Test", Pkcs11KeyKind.EcP256);
        first.Dispose();

        Assert.That(second.SignDigest(new byte[32]), Is.Not.Empty);
    }

    [Test]
    public void Open_WrongPin_ThrowsNamingPinFile()
    {
        var pinFile = Path.Combine(_directory, "wrong.pin");
        File.WriteAllText(pinFile, "not-the-pin\n");
        var options = _token.Options("any");
        options.PinFile = pinFile;

        Assert.That(() => Pkcs11Key.Open(options, "Issuance:Pkcs11"),
            Throws.InvalidOperationException.With.Message.StartsWith("Issuance:Pkcs11:PinFile: the token rejected the PIN"));
    }

    [Test]
    public void Open_UnknownToken_ThrowsNamingTokenLabel()
    {
        var options = _token.Options("any");
        options.TokenLabel = "no-such-token";

        Assert.That(() => Pkcs11Key.Open(options, "Issuance:Pkcs11"),
            Throws.InvalidOperationException.With.Message.StartsWith("Issuance:Pkcs11:TokenLabel: no token labelled 'no-such-token'"));
    }

    [Test]
    public void Open_UnknownKeyLabel_ThrowsNamingKeyLabel()
    {
        Assert.That(() => Pkcs11Key.Open(_token.Options("no-such-key"), "Dkim:Pkcs11"),
            Throws.InvalidOperationException.With.Message.StartsWith("Dkim:Pkcs11:KeyLabel: token '" + _token.Label + "' holds no private key labelled 'no-such-key'"));
    }

    [Test]
    public void Open_MissingLibrary_ThrowsNamingLibrary()
    {
        var options = _token.Options("any");
        options.Library = Path.Combine(_directory, "no-such-module.so");

        Assert.That(() => Pkcs11Key.Open(options, "Issuance:Pkcs11"),
            Throws.InvalidOperationException.With.Message.StartsWith("Issuance:Pkcs11:Library: the PKCS#11 module"));
    }

    [Test]
    public void Open_FileIsNoModule_ThrowsNamingLibrary()
    {
        var options = _token.Options("any");
        options.Library = _token.PinFile;

        Assert.That(() => Pkcs11Key.Open(options, "Issuance:Pkcs11"),
            Throws.InvalidOperationException.With.Message.StartsWith("Issuance:Pkcs11:Library: '"));
    }

    [Test]
    public void Generate_LabelTaken_ThrowsNamingKeyLabel()
    {
        using var key = Pkcs11KeyGenerator.Generate(_token.Options("taken"), "Test", Pkcs11KeyKind.EcP256);

        Assert.That(() => Pkcs11KeyGenerator.Generate(_token.Options("taken"), "--key-label", Pkcs11KeyKind.EcP256),
            Throws.InvalidOperationException.With.Message.StartsWith("--key-label:KeyLabel: token"));
    }
}
