using System.Net;
using System.Text.Json.Nodes;
using Acme.Server.Storage;
using Acme.Tests.Support.Certificates;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.Asn1.X509;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>Finalize (RFC 8555 §7.4, RFC 8823 §3.3): CSR refusals keep the order ready; concurrency issues once.</summary>
public sealed class FinalizeTests : EndToEndTestBase
{
    [Test]
    public async Task Finalize_PendingOrder_OrderNotReady()
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync("l@users.example.test");
        var response = await client.FinalizeAsync(order.Json!["finalize"]!.GetValue<string>(), Csr("p256", "l@users.example.test"));
        AssertProblem(response, HttpStatusCode.Forbidden, "orderNotReady");
    }

    private static IEnumerable<TestCaseData> BadCsrs()
    {
        yield return new TestCaseData("other mailbox", (Func<byte[]>)(() => Csr("p256", "someone@users.example.test")), "m@users.example.test");
        yield return new TestCaseData("extra mailbox", (Func<byte[]>)(() => Csr("p256", "m@users.example.test", "x@users.example.test")), "m@users.example.test");
        yield return new TestCaseData("weak RSA", (Func<byte[]>)(() => Csr("rsa1024", "m@users.example.test")), "m@users.example.test");
        yield return new TestCaseData("secp256k1", (Func<byte[]>)(() => Csr("secp256k1", "m@users.example.test")), "m@users.example.test");
        yield return new TestCaseData("Ed25519 encryption", (Func<byte[]>)(() => TestCsrBuilder.ForKey(TestKeys.Get("ed25519"))
            .WithRfc822("m@users.example.test").WithKeyUsage(KeyUsage.KeyAgreement).Build()), "m@users.example.test");
        yield return new TestCaseData("dNSName without compatibility switch", (Func<byte[]>)(() => TestCsrBuilder.ForKey(TestKeys.Get("p256"))
            .WithRfc822("m@users.example.test").WithDnsName("m@users.example.test").Build()), "m@users.example.test");
        yield return new TestCaseData("garbage", (Func<byte[]>)(() => [1, 2, 3]), "m@users.example.test");
    }

    [TestCaseSource(nameof(BadCsrs))]
    public async Task Finalize_BadCsr_BadCsrAndOrderStaysReady(string name, Func<byte[]> csr, string mailbox)
    {
        var client = await ClientAsync();
        var ready = await ReadyOrderAsync(client, mailbox);
        var response = await client.FinalizeAsync(ready["finalize"]!.GetValue<string>(), csr());
        AssertProblem(response, HttpStatusCode.BadRequest, "badCSR");
        Assert.That((await client.PostAsGetAsync(ready["url"]!.GetValue<string>())).Json!["status"]!.GetValue<string>(), Is.EqualTo("ready"));
    }

    [Test]
    public async Task Finalize_AccountKeyInCsr_BadCsr()
    {
        var client = await ClientAsync("ES256");
        var ready = await ReadyOrderAsync(client, "n@users.example.test");
        var csr = TestCsrBuilder.ForKey(client.Key.ToBouncyCastle()).WithRfc822("n@users.example.test").Build();
        var response = await client.FinalizeAsync(ready["finalize"]!.GetValue<string>(), csr);
        AssertProblem(response, HttpStatusCode.BadRequest, "badCSR");
        Assert.That(response.Json!["detail"]!.GetValue<string>(), Does.Contain("account key"));
    }

    [Test]
    public async Task Finalize_CsrNotBase64Url_Malformed()
    {
        var client = await ClientAsync();
        var ready = await ReadyOrderAsync(client, "o@users.example.test");
        var response = await client.PostAsync(ready["finalize"]!.GetValue<string>(), new JsonObject { ["csr"] = "AAAA=" });
        AssertProblem(response, HttpStatusCode.BadRequest, "malformed");
    }

    [Test]
    public async Task Finalize_Concurrent_ExactlyOneCertificate()
    {
        var client = await ClientAsync();
        var ready = await ReadyOrderAsync(client, "p@users.example.test");
        var csr = Csr("p256", "p@users.example.test");
        var finalizeUrl = ready["finalize"]!.GetValue<string>();
        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.FinalizeAsync(finalizeUrl, csr)));

        Assert.That(attempts.Count(a => a.Status == HttpStatusCode.OK), Is.GreaterThanOrEqualTo(1));
        Assert.That(attempts.Where(a => a.Status != HttpStatusCode.OK).Select(a => a.ProblemType),
            Has.All.EqualTo("urn:ietf:params:acme:error:orderNotReady"));
        var db = Server.Services.GetRequiredService<Database>();
        var count = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM certificates"), CancellationToken.None);
        Assert.That(count, Is.EqualTo(1));
    }

    [Test]
    public async Task Finalize_SigningOnlyRequest_KeyUsageDigitalSignatureOnly()
    {
        var client = await ClientAsync();
        var ready = await ReadyOrderAsync(client, "q@users.example.test");
        var csr = TestCsrBuilder.ForKey(TestKeys.Get("rsa2048")).WithRfc822("q@users.example.test").WithKeyUsage(KeyUsage.DigitalSignature).Build();
        var valid = await FinalizeAsync(client, ready, csr);
        var chain = (await client.PostAsGetAsync(valid["certificate"]!.GetValue<string>())).Body;
        var leaf = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(System.Text.Encoding.ASCII.GetBytes(chain));
        Assert.That(leaf.GetKeyUsage(), Is.EqualTo(new[] { true, false, false, false, false, false, false, false, false }));
    }
}
