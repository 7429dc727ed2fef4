using System.Text;
using Acme.Email.Challenges;
using Acme.Email.Dkim;
using Acme.Email.Transport;
using Acme.Tests.Email.Challenges;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using MimeKit.Cryptography;

namespace Acme.Tests.Email.Dkim;

[TestFixture]
public sealed class DkimMessageSignerTests
{
    private const string Domain = "ca.example.test";
    private const string Selector = "sel1";
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private EmailTestDirectory _dir = null!;
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = new EmailTestDirectory();
        _time = new FakeTimeProvider(Now);
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private (DkimMessageSigner Signer, DkimKeyMaterial Key) CreateSigner(string algorithm)
    {
        var key = DkimMessageSigner.GenerateDevelopmentKey(_dir.Path, Domain, Selector, algorithm);
        var options = new DkimSigningOptions { Domain = Domain, Selector = Selector, KeyPath = key.KeyPath, Algorithm = algorithm };
        return (new DkimMessageSigner(options, _time), key);
    }

    private static MimeMessage Challenge(string from = "acme+x1@ca.example.test") =>
        new ChallengeEmailBuilder().Build(new ChallengeMailRequest(from, "alice@example.test", "LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6v", Domain, Now));

    private static MimeMessage Reparse(byte[] raw) => MimeMessage.Load(new MemoryStream(raw));

    /// <summary>True when there is a signature and every one verifies (the compact one and the one over the full list).</summary>
    private static async Task<bool> VerifyAsync(MimeMessage message, DkimKeyMaterial key)
    {
        var verifier = new DkimVerifier(new TxtRecordDkimLocator(new Dictionary<string, string> { [key.DnsName] = key.TxtValue }));
        var signatures = message.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToList();
        Assert.That(signatures, Is.Not.Empty, "DKIM-Signature header present");
        foreach (var signature in signatures)
        {
            if (!await verifier.VerifyAsync(message, signature))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The tags of the signature over the configured list: the last DKIM-Signature (the compact one is first).</summary>
    private static Dictionary<string, string> Tags(MimeMessage message) =>
        (message.Headers.LastOrDefault(h => h.Id == HeaderId.DkimSignature)?.Value ?? string.Empty)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.Split('=', 2))
            .ToDictionary(p => p[0], p => string.Concat(p[1].Where(c => !char.IsWhiteSpace(c))));

    [TestCase(DkimSigningOptions.RsaSha256, "rsa")]
    [TestCase(DkimSigningOptions.Ed25519Sha256, "ed25519")]
    public async Task Sign_DevelopmentKey_VerifiesWithPublishedTxtRecord(string algorithm, string keyType)
    {
        var (signer, key) = CreateSigner(algorithm);
        var message = Challenge();

        signer.Sign(message);
        var parsed = Reparse(ChallengeEmailBuilderTests.Serialize(message));
        var tags = Tags(parsed);

        Assert.Multiple(async () =>
        {
            Assert.That(await VerifyAsync(parsed, key), Is.True);
            Assert.That(key.DnsName, Is.EqualTo("sel1._domainkey.ca.example.test"));
            Assert.That(key.TxtValue, Does.StartWith($"v=DKIM1; k={keyType}; p="));
            Assert.That(tags["d"], Is.EqualTo(Domain));
            Assert.That(tags["s"], Is.EqualTo(Selector));
            Assert.That(tags["a"], Is.EqualTo(algorithm));
            Assert.That(tags["c"], Is.EqualTo("relaxed/relaxed"));
            Assert.That(tags["t"], Is.EqualTo(Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(tags, Does.Not.ContainKey("l"));
        });
    }

    [Test]
    public void Sign_HeaderList_NamesEveryMustAndShouldHeader()
    {
        var (signer, _) = CreateSigner(DkimSigningOptions.Ed25519Sha256);
        var message = Challenge();

        signer.Sign(message);
        var h = Tags(message)["h"].Split(':').Select(n => n.ToLowerInvariant()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(h, Is.SupersetOf(DkimSigningOptions.RequiredHeaders.Select(n => n.ToLowerInvariant())));
            Assert.That(h, Is.SupersetOf(DkimSigningOptions.RecommendedHeaders.Select(n => n.ToLowerInvariant())));
            Assert.That(h, Does.Contain("mime-version"));
            Assert.That(h, Is.Unique);
        });
    }

    [TestCase(true, 2)]
    [TestCase(false, 1)]
    public void Sign_CompactFirstSignature_AddsOneSignatureOnTopOverTheCompactList(bool compact, int expected)
    {
        var key = DkimMessageSigner.GenerateDevelopmentKey(_dir.Path, Domain, Selector, DkimSigningOptions.RsaSha256);
        var signer = new DkimMessageSigner(
            new DkimSigningOptions { Domain = Domain, Selector = Selector, KeyPath = key.KeyPath, CompactFirstSignature = compact }, _time);
        var message = Challenge();

        signer.Sign(message);
        var signatures = message.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToList();
        var first = signatures[0].Value.Split(';').Select(t => t.Trim()).Single(t => t.StartsWith("h=", StringComparison.Ordinal))[2..];

        Assert.Multiple(() =>
        {
            Assert.That(signatures, Has.Count.EqualTo(expected));
            Assert.That(message.Headers[0].Id, Is.EqualTo(HeaderId.DkimSignature), "signatures go on top");
            Assert.That(first.Split(':'), compact
                ? Is.EqualTo(DkimSigningOptions.CompactHeaders.Select(n => n.ToLowerInvariant()))
                : Has.Length.GreaterThan(DkimSigningOptions.CompactHeaders.Count));
        });
    }

    [Test]
    public void GenerateDevelopmentKey_Ed25519_TxtHoldsRaw32BytePublicKey()
    {
        var key = DkimMessageSigner.GenerateDevelopmentKey(_dir.Path, Domain, Selector, DkimSigningOptions.Ed25519Sha256);

        Assert.That(Convert.FromBase64String(key.TxtValue["v=DKIM1; k=ed25519; p=".Length..]), Has.Length.EqualTo(32));
    }

    [TestCase(DkimSigningOptions.RsaSha256)]
    [TestCase(DkimSigningOptions.Ed25519Sha256)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void GenerateDevelopmentKey_FileIsOwnerOnlyAndReusedOnSecondCall(string algorithm)
    {
        var first = DkimMessageSigner.GenerateDevelopmentKey(_dir.Path, Domain, Selector, algorithm);
        var pem = File.ReadAllText(first.KeyPath);
        var second = DkimMessageSigner.GenerateDevelopmentKey(_dir.Path, Domain, Selector, algorithm);

        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(first.KeyPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(pem, Does.StartWith("-----BEGIN PRIVATE KEY-----"));
            Assert.That(second, Is.EqualTo(first));
            Assert.That(File.ReadAllText(second.KeyPath), Is.EqualTo(pem));
        });
    }

    [Test]
    public async Task Sign_MessageAlteredAfterSigning_FailsVerification()
    {
        var (signer, key) = CreateSigner(DkimSigningOptions.RsaSha256);
        var message = Challenge();
        signer.Sign(message);
        var raw = Encoding.ASCII.GetString(ChallengeEmailBuilderTests.Serialize(message));

        var altered = Reparse(Encoding.ASCII.GetBytes(raw.Replace("type=acme", "type=acmf", StringComparison.Ordinal)));

        Assert.That(await VerifyAsync(altered, key), Is.False);
    }

    [Test]
    public async Task Sign_AddingAnOverSignedHeaderLater_FailsVerification()
    {
        var (signer, key) = CreateSigner(DkimSigningOptions.Ed25519Sha256);
        var message = Challenge();
        signer.Sign(message);
        var parsed = Reparse(ChallengeEmailBuilderTests.Serialize(message));

        parsed.Headers.Add(HeaderId.Cc, "mallory@example.test");

        Assert.That(await VerifyAsync(Reparse(ChallengeEmailBuilderTests.Serialize(parsed)), key), Is.False);
    }

    [TestCase("acme@other.example.test")]
    [TestCase("acme@example.test")]
    [TestCase("acme@sub.ca.example.test")]
    public void Sign_FromDomainDiffersFromSigningDomain_Throws(string from)
    {
        var (signer, _) = CreateSigner(DkimSigningOptions.Ed25519Sha256);

        Assert.That(() => signer.Sign(Challenge(from)), Throws.InvalidOperationException.With.Message.Contains("Dkim:Domain"));
    }

    [Test]
    public void Sign_FromDomainDiffersOnlyInCase_IsAccepted()
    {
        var (signer, _) = CreateSigner(DkimSigningOptions.Ed25519Sha256);

        Assert.That(() => signer.Sign(Challenge("acme@CA.Example.TEST")), Throws.Nothing);
    }

    [Test]
    public async Task FileMailTransport_OutputReadBackFromDisk_StillVerifies()
    {
        var (signer, key) = CreateSigner(DkimSigningOptions.RsaSha256);
        var message = Challenge();
        signer.Sign(message);
        var transport = new FileMailTransport(Path.Combine(_dir.Path, "outbox"), _time);

        var path = await transport.SaveAsync(message, CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(path);
        var loaded = await MimeMessage.LoadAsync(new MemoryStream(bytes));

        Assert.Multiple(async () =>
        {
            Assert.That(await VerifyAsync(loaded, key), Is.True);
            Assert.That(Path.GetFileName(path), Does.StartWith("20250304T050607000Z-").And.EndWith(".eml"));
            Assert.That(Encoding.ASCII.GetString(bytes).Replace("\r\n", "", StringComparison.Ordinal), Does.Not.Contain("\n"), "CRLF line ends only");
            Assert.That(Directory.GetFiles(Path.Combine(_dir.Path, "outbox")), Has.Length.EqualTo(1), "no temp file left");
        });
    }

    [Test]
    public void Constructor_KeyOfOtherAlgorithm_Throws()
    {
        var key = DkimMessageSigner.GenerateDevelopmentKey(_dir.Path, Domain, Selector, DkimSigningOptions.Ed25519Sha256);
        var options = new DkimSigningOptions { Domain = Domain, Selector = Selector, KeyPath = key.KeyPath, Algorithm = DkimSigningOptions.RsaSha256 };

        Assert.That(() => new DkimMessageSigner(options, _time), Throws.InvalidOperationException);
    }

    [Test]
    public void Constructor_MissingKeyFile_ThrowsNamingKeyPath()
    {
        var options = new DkimSigningOptions { Domain = Domain, Selector = Selector, KeyPath = Path.Combine(_dir.Path, "none.pem") };

        Assert.That(() => new DkimMessageSigner(options, _time), Throws.InvalidOperationException.With.Message.Contains("Dkim:KeyPath"));
    }

    [Test]
    public async Task Sign_UnicodeFromDomainAgainstALabelSigningDomain_IsAcceptedAndVerifies()
    {
        var key = DkimMessageSigner.GenerateDevelopmentKey(_dir.Path, "xn--bcher-kva.example", Selector, DkimSigningOptions.Ed25519Sha256);
        var signer = new DkimMessageSigner(
            new DkimSigningOptions { Domain = "xn--bcher-kva.example", Selector = Selector, KeyPath = key.KeyPath, Algorithm = DkimSigningOptions.Ed25519Sha256 }, _time);
        var message = new ChallengeEmailBuilder().Build(new ChallengeMailRequest(
            "acme@xn--bcher-kva.example", "alice@example.test", "LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6v", "xn--bcher-kva.example", Now));

        signer.Sign(message);
        var raw = ChallengeEmailBuilderTests.Serialize(message);

        Assert.That(Tags(message)["d"], Is.EqualTo("xn--bcher-kva.example"));
        Assert.That(await VerifyAsync(Reparse(raw), key), Is.True);
    }
}
