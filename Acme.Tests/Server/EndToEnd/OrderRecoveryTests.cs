using Acme.Server.Storage;
using Acme.Server.Workflows;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Issue 9 item 3: an order a crash left in processing is completed from its stored CSR, or made
/// invalid with serverInternal, after Issuance:RecoverProcessingAfter; never two certificates.
/// </summary>
public sealed class OrderRecoveryTests : EndToEndTestBase
{
    protected override string[] Settings => ["Mail:RunInBackground=false"];

    private Database Db => Server.Services.GetRequiredService<Database>();

    private ProcessingOrderRecovery Recovery => Server.Services.GetRequiredService<ProcessingOrderRecovery>();

    /// <summary>What a kill -9 right after finalize's compare-and-set leaves: processing, CSR stored, no certificate.</summary>
    private async Task<string> StuckOrderAsync(AcmeTestClient client, string mailbox, byte[] csr)
    {
        var ready = await ReadyOrderAsync(client, mailbox);
        var id = LastSegment(ready["url"]!.GetValue<string>());
        var orders = Server.Services.GetRequiredService<IOrderStore>();
        Assert.That(await Db.TryWriteAsync((c, tx) => orders.SetOrderProcessingAsync(c, tx, id, csr, Server.Time.GetUtcNow().ToUnixTimeMilliseconds()), CancellationToken.None), Is.True);
        return id;
    }

    private Task<(string Status, string? Error, long Certificates)> StateAsync(string orderId) =>
        Db.ReadAsync(c => c.QuerySingleAsync<(string, string?, long)>(
            "SELECT status, error, (SELECT COUNT(*) FROM certificates WHERE order_id = @orderId) FROM orders WHERE id = @orderId", new { orderId }), CancellationToken.None);

    [Test]
    public async Task StuckOrder_CompletedFromStoredCsr_AfterTheBound()
    {
        var client = await ClientAsync();
        var id = await StuckOrderAsync(client, "r1@example.test", Csr("p256", "r1@example.test"));

        Assert.That(await Recovery.RunOnceAsync(CancellationToken.None), Is.Zero, "not past Issuance:RecoverProcessingAfter yet");
        Server.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.That(await Recovery.RunOnceAsync(CancellationToken.None), Is.EqualTo(1));

        Assert.That(await StateAsync(id), Is.EqualTo(("valid", (string?)null, 1L)));
        var order = (await client.PostAsGetAsync(Server.Urls.Base + "/order/" + id)).Json!;
        Assert.That(order["status"]!.GetValue<string>(), Is.EqualTo("valid"));
        Assert.That((await client.PostAsGetAsync(order["certificate"]!.GetValue<string>())).Body, Does.Contain("BEGIN CERTIFICATE"));
        var events = (await Db.ReadAsync(c => c.QueryAsync<string>("SELECT event FROM audit_events WHERE order_id = @id ORDER BY id", new { id }), CancellationToken.None)).ToList();
        Assert.That(events, Does.Contain("order.recovery-started").And.Contain("certificate.signing").And.Contain("certificate.issued"));
        Assert.That(await Recovery.RunOnceAsync(CancellationToken.None), Is.Zero, "nothing left to recover");
    }

    [Test]
    public async Task BadStoredCsr_OrderInvalidServerInternal_NextStuckOrderStillIssuedInSamePass()
    {
        var client = await ClientAsync();
        var bad = await StuckOrderAsync(client, "r2@example.test", [0x30, 0x03, 0x02, 0x01, 0x00]);
        Server.Time.Advance(TimeSpan.FromSeconds(1));
        var good = await StuckOrderAsync(client, "r3@example.test", Csr("rsa2048", "r3@example.test"));
        Server.Time.Advance(TimeSpan.FromSeconds(61));

        Assert.That(await Recovery.RunOnceAsync(CancellationToken.None), Is.EqualTo(2));

        var (status, error, certificates) = await StateAsync(bad);
        Assert.That((status, certificates), Is.EqualTo(("invalid", 0L)));
        Assert.That(error, Does.Contain("urn:ietf:params:acme:error:serverInternal").And.Contain("place a new order"));
        Assert.That(await Db.ReadAsync(c => c.QuerySingleAsync<string>(
            "SELECT detail FROM audit_events WHERE order_id = @bad AND event = 'order.recovery-failed'", new { bad }), CancellationToken.None), Does.Contain("no longer passes"));
        Assert.That(await StateAsync(good), Is.EqualTo(("valid", (string?)null, 1L)));
    }

    [Test]
    public async Task ConcurrentRecoverers_OneCertificate()
    {
        var client = await ClientAsync();
        var id = await StuckOrderAsync(client, "r4@example.test", Csr("p256", "r4@example.test"));
        Server.Time.Advance(TimeSpan.FromSeconds(61));
        var second = ActivatorUtilities.CreateInstance<ProcessingOrderRecovery>(Server.Services);

        var finished = await Task.WhenAll(Recovery.RunOnceAsync(CancellationToken.None), second.RunOnceAsync(CancellationToken.None));

        Assert.That(finished.Sum(), Is.EqualTo(1));
        Assert.That(await StateAsync(id), Is.EqualTo(("valid", (string?)null, 1L)));
    }
}
