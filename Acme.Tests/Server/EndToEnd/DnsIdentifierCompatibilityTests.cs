using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Acme.Tests.Support.Certificates;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>The opt-in switch for acme_email (client-interop 2.3): dns identifiers holding an address, dNSName in the CSR.</summary>
public sealed class DnsIdentifierCompatibilityTests : EndToEndTestBase
{
    protected override string[] Settings => ["Acme:RewriteDnsIdentifiersWithAt=true"];

    [Test]
    public async Task DnsIdentifierWithAt_ReadAsMailboxEchoedAsDns_DnsNameToleratedButNotCopied()
    {
        var client = await ClientAsync();
        var order = await client.PostAsync(client.Url("newOrder"), new JsonObject
        {
            ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "dns", ["value"] = "castle@users.example.test" }),
        });
        Assert.That(order.Status, Is.EqualTo(HttpStatusCode.Created), order.ToString());
        Assert.That(order.Json!["identifiers"]![0]!["type"]!.GetValue<string>(), Is.EqualTo("dns"), "echoed as sent; inside it is a mailbox");

        var plainDns = await client.PostAsync(client.Url("newOrder"), new JsonObject
        {
            ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "dns", ["value"] = "example.test" }),
        });
        AssertProblem(plainDns, HttpStatusCode.BadRequest, "unsupportedIdentifier");

        var challengeUrl = (await client.PostAsGetAsync(order.Json["authorizations"]![0]!.GetValue<string>())).Json!["challenges"]![0]!["url"]!.GetValue<string>();
        await ApplyReplyAsync(challengeUrl);
        await client.PostAsync(challengeUrl, new JsonObject());
        var ready = (await client.PostAsGetAsync(order.Location!)).Json!;
        var csr = TestCsrBuilder.ForKey(TestKeys.Get("rsa2048")).WithSubject("CN=castle@users.example.test")
            .WithRfc822("castle@users.example.test").WithDnsName("castle@users.example.test").Build();
        var valid = await FinalizeAsync(client, ready, csr);
        var chain = (await client.PostAsGetAsync(valid["certificate"]!.GetValue<string>())).Body;
        var leaf = new X509CertificateParser().ReadCertificate(Encoding.ASCII.GetBytes(chain));
        var names = GeneralNames.GetInstance(leaf.GetExtensionParsedValue(X509Extensions.SubjectAlternativeName)).GetNames();
        Assert.That(names.Select(n => n.TagNo), Is.EqualTo(new[] { GeneralName.Rfc822Name }), "the dNSName is never copied into the certificate");
    }
}
