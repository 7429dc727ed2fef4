using Acme.Email.Challenges;
using Acme.Email.Smime;
using Acme.Tests.Support.Certificates;
using Acme.Tests.Support.Mail;
using MimeKit;
using MimeKit.Cryptography;

namespace Acme.Tests.Email.Smime;

public sealed class SmimeChallengeSignerTests
{
    private const string Mailbox = "acme@ca.example.test";
    private string _dir = null!;
    private SmimeTestIdentity _identity = null!;

    [OneTimeSetUp]
    public async Task CreateIdentityAsync()
    {
        _dir = Path.Combine(Path.GetTempPath(), "acme-smime-" + Guid.NewGuid().ToString("N"));
        _identity = await SmimeTestIdentity.CreateAsync(Mailbox, _dir);
    }

    [OneTimeTearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    private SmimeChallengeSigner Signer() => new(new SmimeSigningOptions { CertificatePath = _identity.CertificatePath, KeyPath = _identity.KeyPath });

    private static MimeMessage Challenge(string from = Mailbox) => new ChallengeEmailBuilder().Build(
        new ChallengeMailRequest(from, "alice@users.example.test", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX", "ca.example.test", DateTimeOffset.UtcNow));

    [Test]
    public async Task SignAsync_Challenge_MultipartSignedVerifiesWithProtectedHeaders()
    {
        var message = Challenge();
        await Signer().SignAsync(message, CancellationToken.None);
        using var stream = new MemoryStream();
        await message.WriteToAsync(stream);
        stream.Position = 0;
        var received = await MimeMessage.LoadAsync(stream);

        var signed = received.Body as MultipartSigned;
        Assert.That(signed, Is.Not.Null, "RFC 8823 §3.1 item 7: multipart/signed");
        using var context = new TemporarySecureMimeContext();
        await context.ImportAsync(_identity.Root);
        var signatures = await signed!.VerifyAsync(context);
        Assert.That(signatures.Single().Verify(), Is.True);
        Assert.That(((SecureMimeDigitalCertificate)signatures.Single().SignerCertificate!).Email, Is.EqualTo(Mailbox));

        // RFC 8823 §3.1 item 7: header protection; the signed part repeats the relied-upon fields.
        var inner = signed[0];
        Assert.That(inner.ContentType.Parameters["hp"], Is.EqualTo("clear"));
        Assert.That(inner.Headers["Subject"], Is.EqualTo(received.Subject));
        Assert.That(inner.Headers["From"], Does.Contain(Mailbox));
        Assert.That(inner.Headers["Auto-Submitted"], Is.EqualTo("auto-generated; type=acme"));
    }

    [Test]
    public void SignAsync_FromNotInCertificate_Throws() =>
        Assert.ThrowsAsync<InvalidOperationException>(() => Signer().SignAsync(Challenge("acme+tag@ca.example.test"), CancellationToken.None));

    [Test]
    public void Constructor_KeyPathMissing_NamesSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new SmimeChallengeSigner(new SmimeSigningOptions { CertificatePath = _identity.CertificatePath }));
        Assert.That(error!.Message, Does.Contain("Smime:KeyPath"));
    }

    [Test]
    public void Constructor_KeyFileNotAKey_NamesSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new SmimeChallengeSigner(new SmimeSigningOptions
        {
            CertificatePath = _identity.CertificatePath,
            KeyPath = _identity.CertificatePath,
        }));
        Assert.That(error!.Message, Does.Contain("Smime:KeyPath"));
    }

    [Test]
    public async Task SignAsync_Acme4jReadsTheProtectedFromToAndSubject()
    {
        var message = Challenge();
        await Signer().SignAsync(message, CancellationToken.None);
        using var stream = new MemoryStream();
        await message.WriteToAsync(stream);
        stream.Position = 0;
        var received = await MimeMessage.LoadAsync(stream);
        using var context = new TemporarySecureMimeContext();
        await context.ImportAsync(_identity.Root);
        var signature = (SecureMimeDigitalSignature)(await ((MultipartSigned)received.Body!).VerifyAsync(context)).Single();

        var (trusted, refusal) = Acme4jSecuredHeaders.Read(received, signature);

        Assert.That(refusal, Is.Null);
        Assert.That(trusted.Single(f => f.Name == "From").Value, Is.EqualTo(received.Headers["From"]));
        Assert.That(trusted.Single(f => f.Name == "To").Value, Is.EqualTo(received.Headers["To"]));
        Assert.That(trusted.Single(f => f.Name == "Subject").Value, Is.EqualTo(received.Subject));
    }
}
