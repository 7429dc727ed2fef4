using Acme.Server.Issuance;
using Acme.Tests.Support;

namespace Acme.Tests.Server.Issuance;

/// <summary>Passphrase-encrypted PKCS#8 CA keys (Issuance:CaKeyPassphraseFile), with openssl as the other side.</summary>
[TestFixture]
public sealed class CaKeyPassphraseTests
{
    private IssuanceTestCa _ca = null!;

    [OneTimeSetUp]
    public void CreateCa()
    {
        _ca = new IssuanceTestCa();
        File.WriteAllText(PathOf("passphrase"), "correct horse battery staple\n");
        File.WriteAllText(PathOf("wrong-passphrase"), "not the passphrase\n");

        // openssl's own PBES2 (AES-256-CBC, HMAC-SHA256): what an operator's `openssl pkcs8 -topk8` writes.
        var (exit, output) = OpenSsl.Run("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", PathOf("issuing.key"),
            "-out", PathOf("issuing-encrypted.key"), "-passout", "file:" + PathOf("passphrase"));
        Assert.That(exit, Is.Zero, output);
    }

    [OneTimeTearDown]
    public void DeleteCa() => _ca.Dispose();

    private string PathOf(string file) => Path.Combine(_ca.Directory, file);

    private IssuanceOptions Options(string key, string? passphraseFile) => new()
    {
        CaCertificatePath = PathOf("issuing.pem"),
        CaKeyPath = PathOf(key),
        CaKeyPassphraseFile = passphraseFile is null ? null : PathOf(passphraseFile),
    };

    [Test]
    public void Load_OpensslEncryptedKeyWithPassphraseFile_SignsForTheCertificate()
    {
        using var material = CaMaterialLoader.Load(Options("issuing-encrypted.key", "passphrase"));

        Assert.That(CaSigning.SignerMatches(material.Signer, _ca.Material.Certificate.GetPublicKey()), Is.True);
    }

    [Test]
    public void Load_WrongPassphrase_ThrowsNamingPassphraseFile()
    {
        Assert.That(() => CaMaterialLoader.Load(Options("issuing-encrypted.key", "wrong-passphrase")),
            Throws.InvalidOperationException.With.Message.StartsWith("Issuance:CaKeyPassphraseFile: the passphrase does not decrypt"));
    }

    [Test]
    public void Load_EncryptedKeyWithoutPassphraseFile_ThrowsNamingPassphraseFile()
    {
        Assert.That(() => CaMaterialLoader.Load(Options("issuing-encrypted.key", null)),
            Throws.InvalidOperationException.With.Message.StartsWith("Issuance:CaKeyPassphraseFile is not set"));
    }

    [Test]
    public void Load_PassphraseFileForUnencryptedKey_ThrowsNamingPassphraseFile()
    {
        Assert.That(() => CaMaterialLoader.Load(Options("issuing.key", "passphrase")),
            Throws.InvalidOperationException.With.Message.StartsWith("Issuance:CaKeyPassphraseFile is set, but"));
    }

    [Test]
    public void EncryptedPrivateKey_Written_OpensslDecryptsItWithThePassphrase()
    {
        var key = PemText.ReadPrivateKey(File.ReadAllText(PathOf("issuing.key")));
        File.WriteAllText(PathOf("written-encrypted.key"), PemText.EncryptedPrivateKey(key, "correct horse battery staple"));

        var (exit, output) = OpenSsl.Run("pkey", "-in", PathOf("written-encrypted.key"), "-passin", "file:" + PathOf("passphrase"), "-pubout");
        var (_, expected) = OpenSsl.Run("pkey", "-in", PathOf("issuing.key"), "-pubout");

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Is.EqualTo(expected));
        Assert.That(File.ReadAllText(PathOf("written-encrypted.key")), Does.StartWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
    }
}
