using System.Text.Json.Nodes;
using Acme.Server.Issuance;
using Acme.Server.Storage;
using Acme.Validation.Codecs;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Issue 11 item 3: the CRL comes from the database. Two instances (two CRL services over one database)
/// serve byte-identical CRLs; a revocation makes the next request, at either instance, generate the next
/// number, which then both serve; without a revocation the CRL is reissued daily.
/// </summary>
public sealed class SharedCrlTests : EndToEndTestBase
{
    private CrlService AnotherInstance(TimeProvider? clock = null) => new(
        Server.Services.GetRequiredService<Database>(), Server.Services.GetRequiredService<ICertificateStore>(), Server.Services.GetRequiredService<ICrlStore>(),
        new CrlGenerator(Server.Services.GetRequiredService<CaMaterial>(), clock ?? Server.Time), clock ?? Server.Time);

    [Test]
    public async Task InstancesRacing_WithClocksMillisecondsApart_AllServeOneCrl()
    {
        // Found by interop/scale: two instances a few milliseconds apart each stored a CRL of their own number.
        var instances = Enumerable.Range(0, 6)
            .Select(i => AnotherInstance(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Server.Time.GetUtcNow().AddMilliseconds(i * 3))))
            .ToList();
        var served = await Task.WhenAll(instances.Select(instance => Task.Run(() => instance.GetAsync(CancellationToken.None))));
        Assert.That(served.Select(Convert.ToBase64String).Distinct().Count(), Is.EqualTo(1), "every instance serves the same CRL");
    }

    private static long Number(byte[] der) =>
        DerIntegerValue(new X509CrlParser().ReadCrl(der).GetExtensionParsedValue(X509Extensions.CrlNumber));

    private static long DerIntegerValue(Org.BouncyCastle.Asn1.Asn1Object value) => Org.BouncyCastle.Asn1.DerInteger.GetInstance(value).LongValueExact;

    [Test]
    public async Task TwoInstances_SameBytes_RevocationGivesNextNumberEverywhere()
    {
        var (a, b) = (AnotherInstance(), AnotherInstance());
        var first = await a.GetAsync(CancellationToken.None);
        Assert.That(await b.GetAsync(CancellationToken.None), Is.EqualTo(first), "b serves what a generated");

        var client = await ClientAsync();
        var ready = await ReadyOrderAsync(client, "crl@users.example.test");
        var valid = await FinalizeAsync(client, ready, Csr("p256", "crl@users.example.test"));
        var leaf = new X509CertificateParser().ReadCertificate(System.Text.Encoding.ASCII.GetBytes((await client.PostAsGetAsync(valid["certificate"]!.GetValue<string>())).Body));
        var revoke = await client.PostAsync(client.Url("revokeCert"), new JsonObject { ["certificate"] = StrictBase64Url.Encode(leaf.GetEncoded()), ["reason"] = 1 });
        Assert.That((int)revoke.Status, Is.EqualTo(200), revoke.ToString());

        var afterAtB = await b.GetAsync(CancellationToken.None);
        Assert.That(new X509CrlParser().ReadCrl(afterAtB).GetRevokedCertificate(leaf.SerialNumber), Is.Not.Null, "the instance that did not revoke lists it");
        Assert.That(Number(afterAtB), Is.GreaterThan(Number(first)));
        Assert.That(await a.GetAsync(CancellationToken.None), Is.EqualTo(afterAtB));
        using var plain = new HttpClient();
        Assert.That(await plain.GetByteArrayAsync(Server.Urls.CrlUrl), Is.EqualTo(afterAtB), "and the server's own endpoint");

        Server.Time.Advance(TimeSpan.FromDays(1));
        var daily = await a.GetAsync(CancellationToken.None);
        Assert.That(Number(daily), Is.GreaterThan(Number(afterAtB)), "reissued daily");
        Assert.That(await b.GetAsync(CancellationToken.None), Is.EqualTo(daily));
    }
}
