using System.Net;
using System.Text.Json.Nodes;
using Acme.Server.Workflows;
using Acme.Tests.Support.Certificates;
using Acme.Tests.Support.Dns;
using Acme.Tests.Support.Mail;
using Acme.Validation.Dkim;
using Acme.Validation.KeyAuthorization;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Issue 9 item 1: what newOrder accepts is mailed and issued. IDN domains (A-label on the ACME wire
/// and in the certificate) and UTF-8 local parts (SmtpUTF8Mailbox, RFC 9598 §3) through the real mail
/// code and the file transport; addresses the server cannot serve are refused at newOrder.
/// </summary>
public sealed class InternationalMailboxTests : EndToEndTestBase
{
    private readonly FakeDkimKeyLookup _dns = new();

    protected override string[] Settings => ["Mail:RunInBackground=false", "Mail:FirstSendDelay=00:00:00"];

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IDkimKeyLookup>(_dns
            .PublishKey("rsa", "xn--bcher-kva.example.com", DkimTestKey.Rsa2048.TxtRecord)
            .PublishKey("rsa", "example.test", DkimTestKey.Rsa2048.TxtRecord));

    [TestCase("alice@b\u00FCcher.example.com", "alice@xn--bcher-kva.example.com", "xn--bcher-kva.example.com")]
    [TestCase("j\u00F6rg@example.test", "j\u00F6rg@example.test", "example.test")]
    [TestCase("j\u00F6rg@B\u00DCCHER.example.com", "j\u00F6rg@xn--bcher-kva.example.com", "xn--bcher-kva.example.com")]
    public async Task InternationalMailbox_MailedRepliedAndIssued(string sent, string stored, string dkimDomain)
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync(sent);
        Assert.That(order.Status, Is.EqualTo(HttpStatusCode.Created), order.ToString());
        Assert.That(order.Json!["identifiers"]![0]!["value"]!.GetValue<string>(), Is.EqualTo(stored), "A-labels on the ACME wire");

        var authzUrl = order.Json["authorizations"]![0]!.GetValue<string>();
        var challenge = (await client.PostAsGetAsync(authzUrl)).Json!["challenges"]![0]!;
        var dispatcher = Server.Services.GetRequiredService<ChallengeMailDispatcher>();
        Assert.That(await dispatcher.RunOnceAsync(CancellationToken.None), Is.EqualTo(1), "the challenge mail is built, signed and sent");

        var file = Directory.GetFiles(Path.Combine(Server.DataDirectory, "mail", "outgoing"), "*.eml").Single();
        var mail = await MimeMessage.LoadAsync(file);
        var to = MimeKit.MailboxAddress.Parse(mail.Headers[HeaderId.To]!);
        Assert.That(Acme.Validation.Identifiers.MailboxNormalizer.Normalize(to.Address).Value!.Address, Is.EqualTo(stored), "the mail goes to the identifier");

        var tokenPart1 = mail.Subject!["ACME: ".Length..];
        var digest = ReplyDigest.Compute(tokenPart1, challenge["token"]!.GetValue<string>(), client.Key.Thumbprint, TokenJoin.Bytes);
        var reply = TestReplyFactory.AcmeEmail(new ReplyContent(stored, challenge["from"]!.GetValue<string>(), tokenPart1, digest, mail.MessageId));
        TestReplyFactory.Sign(reply, DkimTestKey.Rsa2048, dkimDomain, "rsa", DateTimeOffset.UtcNow.AddMinutes(-1));
        var incoming = Path.Combine(Server.DataDirectory, "mail", "incoming", "new");
        Directory.CreateDirectory(incoming);
        await File.WriteAllBytesAsync(Path.Combine(incoming, "reply.eml"), TestReplyFactory.ToBytes(reply));
        Assert.That(await Server.Services.GetRequiredService<ReplyProcessor>().RunOnceAsync(CancellationToken.None), Is.EqualTo(1));
        var posted = await client.PostAsync(challenge["url"]!.GetValue<string>(), new JsonObject());
        Assert.That(posted.Json!["status"]!.GetValue<string>(), Is.EqualTo("valid"), posted.ToString());

        var ready = (await client.PostAsGetAsync(order.Location!)).Json!;
        var ascii = !stored.Split('@')[0].Any(c => c > 0x7F);
        var csr = ascii ? TestCsrBuilder.ForKey(TestKeys.Get("p256")).WithRfc822(stored) : TestCsrBuilder.ForKey(TestKeys.Get("p256")).WithSmtpUtf8(stored);
        var valid = await FinalizeAsync(client, ready, csr.Build());
        var pem = (await client.PostAsGetAsync(valid["certificate"]!.GetValue<string>())).Body;
        var leaf = new X509CertificateParser().ReadCertificate(System.Text.Encoding.ASCII.GetBytes(pem));
        var names = GeneralNames.GetInstance(leaf.GetExtensionValue(X509Extensions.SubjectAlternativeName).GetOctets()).GetNames();
        var san = names.Single();
        if (ascii)
        {
            Assert.That(san.TagNo, Is.EqualTo(GeneralName.Rfc822Name));
            Assert.That(san.Name.ToString(), Is.EqualTo(stored), "A-label domain in the certificate (RFC 9598 §3)");
        }
        else
        {
            var other = OtherName.GetInstance(san.Name);
            Assert.That(other.TypeID.Id, Is.EqualTo("1.3.6.1.5.5.7.8.9"), "SmtpUTF8Mailbox");
            Assert.That(DerUtf8String.GetInstance(other.Value).GetString(), Is.EqualTo(stored));
        }
    }

    [TestCase("\"alice\"@users.example.com", "quoted local parts are not supported")]
    [TestCase("acme@acme.localhost", "own challenge mailbox")]
    [TestCase("ACME+x@acme.localhost", "own challenge mailbox")]
    [TestCase("p\u0430ul@example.test", "mixes the scripts")]
    [TestCase("ali\u202Ece@example.test", "invisible formatting character")]
    public async Task Unservable_RefusedAtNewOrder(string mailbox, string reason)
    {
        var client = await ClientAsync();
        var refused = await client.NewOrderAsync(mailbox);
        AssertProblem(refused, HttpStatusCode.BadRequest, "rejectedIdentifier");
        var sub = refused.Json!["subproblems"]![0]!;
        Assert.That(sub["identifier"]!["value"]!.GetValue<string>(), Is.EqualTo(mailbox));
        Assert.That(sub["detail"]!.GetValue<string>(), Does.Contain(reason));
    }
}
