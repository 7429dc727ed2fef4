using Acme.Email.Challenges;
using Acme.Email.Dkim;
using Acme.Email.Transport;
using Acme.Tests.Email.Challenges;
using Acme.Tests.Email.Dkim;
using MimeKit;
using MimeKit.Cryptography;

namespace Acme.Tests.Email.Transport;

[TestFixture]
public sealed class SmtpMailTransportTests
{
    private EmailTestDirectory _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new EmailTestDirectory();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private static MimeMessage Challenge(string to = "alice@example.test") =>
        new ChallengeEmailBuilder().Build(new ChallengeMailRequest(
            "acme+x1@ca.example.test", to, "LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6v", "ca.example.test", DateTimeOffset.UtcNow));

    private static SmtpMailTransport Transport(int port, MailSecurity security = MailSecurity.None) =>
        new(new SmtpOptions { Host = "127.0.0.1", Port = port, Security = security, Timeout = TimeSpan.FromSeconds(10) });

    private static void RequireAiosmtpd()
    {
        if (!AiosmtpdServer.IsAvailable())
        {
            Assert.Ignore("/usr/bin/python3 cannot import aiosmtpd: install the Debian package python3-aiosmtpd to run SMTP integration tests.");
        }
    }

    [Test]
    public async Task SendAsync_ConnectionRefused_RetryLaterWithoutThrowing()
    {
        var port = AiosmtpdServer.FreeLoopbackPort();

        var result = await Transport(port).SendAsync(Challenge(), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(MailSendOutcome.RetryLater));
        Assert.That(result.Detail, Is.Not.Empty);
    }

    [Test]
    public void SendAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.That(async () => await Transport(AiosmtpdServer.FreeLoopbackPort()).SendAsync(Challenge(), cancelled.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    [Category("Integration")]
    public async Task SendAsync_RealServer_DeliversBytesThatStillVerify()
    {
        RequireAiosmtpd();
        await using var server = await AiosmtpdServer.StartAsync(_dir.Path);
        var key = DkimMessageSigner.GenerateDevelopmentKey(_dir.Path, "ca.example.test", "sel1", DkimSigningOptions.RsaSha256);
        var signer = new DkimMessageSigner(
            new DkimSigningOptions { Domain = "ca.example.test", Selector = "sel1", KeyPath = key.KeyPath }, TimeProvider.System);
        var message = Challenge();
        signer.Sign(message);

        var result = await Transport(server.Port).SendAsync(message, CancellationToken.None);
        var received = await server.NextSavedMessageAsync();
        var parsed = await MimeMessage.LoadAsync(new MemoryStream(received));
        var verifier = new DkimVerifier(new TxtRecordDkimLocator(new Dictionary<string, string> { [key.DnsName] = key.TxtValue }));

        Assert.Multiple(async () =>
        {
            Assert.That(result, Is.EqualTo(MailSendResult.Delivered));
            Assert.That(received, Is.EqualTo(ChallengeEmailBuilderTests.Serialize(message)), "sent byte-exact");
            Assert.That(await verifier.VerifyAsync(parsed, parsed.Headers[parsed.Headers.IndexOf(HeaderId.DkimSignature)]), Is.True);
        });
    }

    [Test]
    [Category("Integration")]
    public async Task SendAsync_Recipient5xx_Rejected()
    {
        RequireAiosmtpd();
        await using var server = await AiosmtpdServer.StartAsync(_dir.Path);

        var result = await Transport(server.Port).SendAsync(Challenge("reject@example.test"), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(MailSendOutcome.Rejected));
        Assert.That(result.Detail, Does.StartWith("550"));
    }

    [Test]
    [Category("Integration")]
    public async Task SendAsync_Recipient4xx_RetryLater()
    {
        RequireAiosmtpd();
        await using var server = await AiosmtpdServer.StartAsync(_dir.Path);

        var result = await Transport(server.Port).SendAsync(Challenge("later@example.test"), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(MailSendOutcome.RetryLater));
        Assert.That(result.Detail, Does.StartWith("451"));
    }

    [Test]
    [Category("Integration")]
    public async Task SendAsync_StartTlsRequiredButNotOffered_RetryLater()
    {
        RequireAiosmtpd();
        await using var server = await AiosmtpdServer.StartAsync(_dir.Path);

        var result = await Transport(server.Port, MailSecurity.StartTls).SendAsync(Challenge(), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(MailSendOutcome.RetryLater));
    }

    [Test]
    [Category("Integration")]
    public async Task SendAsync_ImplicitTlsAgainstPlainServer_RetryLater()
    {
        RequireAiosmtpd();
        await using var server = await AiosmtpdServer.StartAsync(_dir.Path);

        var result = await Transport(server.Port, MailSecurity.SslOnConnect).SendAsync(Challenge(), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(MailSendOutcome.RetryLater));
    }
}
