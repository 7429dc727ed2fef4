using System.Net;
using System.Text.Json.Nodes;
using Acme.Tests.Support.Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Integration.MailStack;

/// <summary>
/// Issue 9 item 1: internationalized mailboxes issue end to end through real mail servers: a UTF-8
/// local part (SMTPUTF8 through postfix with smtputf8_enable, dovecot) and an IDN domain given as
/// U-labels (A-labels on the ACME wire and in the certificate).
/// </summary>
public sealed class MailStackInternationalTests : MailStackTestBase
{
    [TestCase("j\u00F6rg@users.example.test", "j\u00F6rg@users.example.test")]
    [TestCase("idn@b\u00FCcher.example.test", "idn@xn--bcher-kva.example.test")]
    public async Task InternationalMailbox_ThroughPostfixAndDovecot_Issued(string sent, string stored)
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync(sent);
        Assert.That(order.Status, Is.EqualTo(HttpStatusCode.Created), order.ToString());
        Assert.That(order.Json!["identifiers"]![0]!["value"]!.GetValue<string>(), Is.EqualTo(stored));
        var (challenge, mail) = await ChallengeMailAsync(client, order, stored);

        var reply = Reply(challenge, mail, stored, client.Key.Thumbprint);
        await MailStackMail.SendSmtpAsync(Stack, reply);
        await JudgeRepliesAsync(reply);
        var posted = await client.PostAsync(challenge["url"]!.GetValue<string>(), new JsonObject());
        Assert.That(posted.Json!["status"]!.GetValue<string>(), Is.EqualTo("valid"), posted.ToString());

        var ready = (await client.PostAsGetAsync(order.Location!)).Json!;
        var utf8Local = stored.Split('@')[0].Any(c => c > 0x7F);
        var csr = TestCsrBuilder.ForKey(TestKeys.Get("p256"));
        csr = utf8Local ? csr.WithSmtpUtf8(stored) : csr.WithRfc822(stored);
        var valid = await FinalizeAsync(client, ready, csr.Build());
        var pem = (await client.PostAsGetAsync(valid["certificate"]!.GetValue<string>())).Body;
        var leaf = new X509CertificateParser().ReadCertificate(System.Text.Encoding.ASCII.GetBytes(pem));
        var san = GeneralNames.GetInstance(leaf.GetExtensionValue(X509Extensions.SubjectAlternativeName).GetOctets()).GetNames().Single();
        var inCertificate = utf8Local ? DerUtf8String.GetInstance(OtherName.GetInstance(san.Name).Value).GetString() : san.Name.ToString();
        Assert.That(inCertificate, Is.EqualTo(stored), "RFC 9598 §3: SmtpUTF8Mailbox for a UTF-8 local part, A-label domains");
    }
}
