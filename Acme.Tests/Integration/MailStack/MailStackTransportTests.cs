using System.Security.Cryptography;
using System.Text;
using Acme.Email.Challenges;
using Acme.Email.Dkim;
using Acme.Email.Transport;
using Acme.Validation.Codecs;
using Acme.Validation.Dkim;
using Acme.Validation.Identifiers;
using MailKit.Search;
using MimeKit;

namespace Acme.Tests.Integration.MailStack;

/// <summary>
/// Challenge mail out through a real MTA: our <see cref="SmtpMailTransport"/> submits a mail built by
/// <see cref="ChallengeEmailBuilder"/> and signed by <see cref="DkimMessageSigner"/> with the stack's CA key
/// to postfix; it is read back from alice's dovecot INBOX and its signature checked by our
/// <see cref="ReplyDkimVerifier"/> against the key dnsmasq serves.
/// </summary>
[Category("Integration")]
public sealed class MailStackTransportTests
{
    private MailStackFixture _stack = null!;

    [SetUp]
    public void RequireStack() => _stack = MailStackFixture.Require();

    [Test]
    public async Task ChallengeMail_ThroughPostfix_ArrivesInAliceInbox_DkimVerifiesOverRealDns()
    {
        var from = $"acme+{Guid.NewGuid():N}@{MailStackFixture.CaDomain}";
        var token = StrictBase64Url.Encode(RandomNumberGenerator.GetBytes(24));
        var message = new ChallengeEmailBuilder().Build(new ChallengeMailRequest(from, MailStackFixture.Alice, token, MailStackFixture.CaDomain, DateTimeOffset.UtcNow));
        var signer = new DkimMessageSigner(
            new DkimSigningOptions { Domain = MailStackFixture.CaDomain, Selector = MailStackFixture.CaSelector, KeyPath = _stack.CaDkimKeyPath },
            TimeProvider.System);
        signer.Sign(message);

        var transport = new SmtpMailTransport(new SmtpOptions { Host = MailStackFixture.Host, Port = _stack.SmtpPort, Security = MailSecurity.None });
        var sent = await transport.SendAsync(message, CancellationToken.None);
        Assert.That(sent.Outcome, Is.EqualTo(MailSendOutcome.Delivered), sent.Detail);

        var raw = await MailStackMail.WaitForRawAsync(_stack, MailStackFixture.Alice, SearchQuery.HeaderContains("Message-ID", message.MessageId!));
        var received = await MimeMessage.LoadAsync(new MemoryStream(raw, writable: false));
        Assert.That(received.Subject, Is.EqualTo("ACME: " + token));
        Assert.That(received.Headers["Auto-Submitted"], Is.EqualTo(ChallengeEmailBuilder.AutoSubmittedValue));
        Assert.That(received.Headers.Count(h => h.Id == HeaderId.DkimSignature), Is.EqualTo(1), "opendkim must not add a signature for ca.example.test");

        var verifier = new ReplyDkimVerifier(new DnsClientDkimKeyLookup([_stack.DnsServer]), DkimPolicy.Default, TimeProvider.System);
        var sender = MailboxNormalizer.Normalize(from).Value!;
        var verified = await verifier.VerifyAsync(received, sender, CancellationToken.None);
        Assert.That(verified.IsSuccess, Is.True, verified.Failure?.Detail);
        Assert.That(verified.Value!.Domain, Is.EqualTo(MailStackFixture.CaDomain));
        Assert.That(verified.Value.Selector, Is.EqualTo(MailStackFixture.CaSelector));

        // The same bytes with one Subject character changed must not verify (the check is real).
        var tampered = Encoding.ASCII.GetString(raw).Replace("ACME: " + token, "ACME: " + (token[0] == 'A' ? 'B' : 'A') + token[1..], StringComparison.Ordinal);
        var forged = await MimeMessage.LoadAsync(new MemoryStream(Encoding.ASCII.GetBytes(tampered), writable: false));
        var refused = await verifier.VerifyAsync(forged, sender, CancellationToken.None);
        Assert.That(refused.IsSuccess, Is.False, "a changed Subject must break the DKIM signature");
    }
}
