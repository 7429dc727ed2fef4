using Acme.Server.Storage;
using Acme.Tests.Support.Certificates;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Issue 10 item 5: acme4j's SMIMECSRBuilder asks keyEncipherment for every encryption request,
/// whatever the key type (critical keyUsage, rfc822Name SAN, CN = the address). For an EC key the
/// server reads it as an encryption request (RFC 8823 §3.3) and issues keyAgreement, and says so in the
/// audit trail.
/// </summary>
public sealed class Acme4jCsrTests : EndToEndTestBase
{
    // acme4j KeyUsageType: SIGNING_ONLY, ENCRYPTION_ONLY, SIGNING_AND_ENCRYPTION (its default).
    [TestCase("signing-only", KeyUsage.DigitalSignature, KeyUsage.DigitalSignature, false)]
    [TestCase("encryption-only", KeyUsage.KeyEncipherment, KeyUsage.KeyAgreement, true)]
    [TestCase("signing-and-encryption", KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment, KeyUsage.DigitalSignature | KeyUsage.KeyAgreement, true)]
    public async Task EcKey_Acme4jShapedCsr_Issued(string acme4jUsage, int requested, int issued, bool mapped)
    {
        const string mailbox = "ec-user@example.test";
        var client = await ClientAsync();
        var ready = await ReadyOrderAsync(client, mailbox);
        var csr = TestCsrBuilder.ForKey(TestKeys.Get("p256")).WithSubject("CN=" + mailbox).WithRfc822(mailbox).WithKeyUsage(requested).Build();

        var valid = await FinalizeAsync(client, ready, csr);

        var pem = (await client.PostAsGetAsync(valid["certificate"]!.GetValue<string>())).Body;
        var leaf = new X509CertificateParser().ReadCertificate(System.Text.Encoding.ASCII.GetBytes(pem));
        var usage = KeyUsage.GetInstance(leaf.GetExtensionValue(X509Extensions.KeyUsage).GetOctets());
        Assert.That(usage.IntValue, Is.EqualTo(issued), acme4jUsage);
        var audit = await Server.Services.GetRequiredService<Database>().ReadAsync(
            c => c.QuerySingleAsync<string>("SELECT detail FROM audit_events WHERE event = 'certificate.issued'"), CancellationToken.None);
        Assert.That(audit.Contains("issued as keyAgreement", StringComparison.Ordinal), Is.EqualTo(mapped), audit);
    }
}
