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
        var signatures = received.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToList();
        Assert.That(signatures, Has.Count.EqualTo(2), "ours (compact, full list); opendkim must not add a signature for ca.example.test");
        Assert.That(signatures.Select(h => h.Value), Has.All.Contain("d=ca.example.test;").And.All.Contain("s=acme;"));

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

    /// <summary>
    /// python3-dkim (dkimpy, acme_email's verifier) checks the first signature of the delivered bytes, and again after
    /// Python's email package re-serialized the parsed message, which is what acme_email hands it.
    /// </summary>
    [Test]
    public async Task ChallengeMail_Delivered_FirstSignatureVerifiesWithDkimpy_AlsoAfterPythonReserializesIt()
    {
        var from = $"acme+{Guid.NewGuid():N}@{MailStackFixture.CaDomain}";
        var message = new ChallengeEmailBuilder().Build(new ChallengeMailRequest(
            from, MailStackFixture.Alice, StrictBase64Url.Encode(RandomNumberGenerator.GetBytes(24)), MailStackFixture.CaDomain, DateTimeOffset.UtcNow));
        new DkimMessageSigner(
            new DkimSigningOptions { Domain = MailStackFixture.CaDomain, Selector = MailStackFixture.CaSelector, KeyPath = _stack.CaDkimKeyPath },
            TimeProvider.System).Sign(message);
        var transport = new SmtpMailTransport(new SmtpOptions { Host = MailStackFixture.Host, Port = _stack.SmtpPort, Security = MailSecurity.None });
        Assert.That((await transport.SendAsync(message, CancellationToken.None)).Outcome, Is.EqualTo(MailSendOutcome.Delivered));
        var raw = await MailStackMail.WaitForRawAsync(_stack, MailStackFixture.Alice, SearchQuery.HeaderContains("Message-ID", message.MessageId!));

        var (exit, output) = await RunPythonAsync(DkimpyScript, raw);

        Assert.That((exit, output.Trim()), Is.EqualTo((0, "raw=True reserialized=True")), output);
    }

    private const string DkimpyScript = """
        import email, email.message, email.policy, os, sys, dkim, dns.resolver
        r = dns.resolver.Resolver(configure=False); r.nameservers = ['127.0.0.1']; r.port = int(os.environ['DNS_PORT'])
        def txt(name, timeout=5):
            return b''.join(b''.join(x.strings) for x in r.resolve(name.decode(), 'TXT'))
        raw = sys.stdin.buffer.read()
        msg = email.message_from_bytes(raw, _class=email.message.EmailMessage, policy=email.policy.default)
        print('raw=%s reserialized=%s' % (dkim.verify(raw, dnsfunc=txt), dkim.verify(bytes(msg), dnsfunc=txt)))
        """;

    private async Task<(int Exit, string Output)> RunPythonAsync(string script, byte[] stdin)
    {
        var info = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3", ["-c", script])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.Environment["DNS_PORT"] = _stack.DnsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = System.Diagnostics.Process.Start(info)!;
        await process.StandardInput.BaseStream.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, output + error);
    }
}
