using System.Text;
using System.Text.Json.Nodes;
using Acme.Server.Hosting;
using Acme.Server.Storage;
using Acme.Validation.Codecs;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>SBR 5.4.1: the audit trail of a certificate's life, and that it cannot be rewritten.</summary>
public sealed class AuditTrailTests : EndToEndTestBase
{
    [Test]
    public async Task Audit_FullFlow_EventsInOrderAndReportFindsThem()
    {
        var client = await ClientAsync();
        var ready = await ReadyOrderAsync(client, "audit@users.example.test");
        await client.FinalizeAsync(ready["finalize"]!.GetValue<string>(), Csr("p256", "audit@users.example.test", "someone-else@users.example.test"));
        var valid = await FinalizeAsync(client, ready, Csr("p256", "audit@users.example.test"));
        var chain = (await client.PostAsGetAsync(valid["certificate"]!.GetValue<string>())).Body;
        var leaf = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(Encoding.ASCII.GetBytes(chain));
        await client.PostAsync(client.Url("revokeCert"), new JsonObject { ["certificate"] = StrictBase64Url.Encode(leaf.GetEncoded()), ["reason"] = 4 });

        var report = new AuditReport(Server.Services.GetRequiredService<Database>(), Server.Services.GetRequiredService<ICertificateStore>(),
            Server.Services.GetRequiredService<IOrderStore>(), Server.Services.GetRequiredService<IAuditStore>());
        using var output = new StringWriter();
        var code = await report.WriteAsync(leaf.SerialNumber.ToString(16), null, output, TextWriter.Null, CancellationToken.None);
        var text = output.ToString();

        Assert.That(code, Is.Zero);
        var expected = new[]
        {
            "authorization.created", "order.created", "challenge.token-part1-created", "challenge.reply-judged",
            "challenge.client-responded", "order.finalize-refused", "certificate.issued", "certificate.revoked",
        };
        var positions = expected.Select(e => text.IndexOf(e, StringComparison.Ordinal)).ToList();
        Assert.That(positions, Has.All.GreaterThanOrEqualTo(0), text);
        Assert.That(positions, Is.Ordered, text);
        Assert.That(text, Does.Contain("mailbox audit@users.example.test"));
        Assert.That(text, Does.Contain("badCSR"));
    }

    [Test]
    public async Task Audit_UpdateOfAnEvent_Refused()
    {
        await ClientAsync();
        var db = Server.Services.GetRequiredService<Database>();
        var error = Assert.CatchAsync<System.Data.Common.DbException>(() => db.WriteAsync(
            async (c, tx) => await c.ExecuteAsync("UPDATE audit_events SET detail = 'forged'", transaction: tx), CancellationToken.None));
        Assert.That(error!.Message, Does.Contain("append-only"));
    }

    [Test]
    public async Task Purge_EvidencePastRetention_RemovedNewerKept()
    {
        var client = await ClientAsync();
        var ready = await ReadyOrderAsync(client, "old@users.example.test");
        await FinalizeAsync(client, ready, Csr("p256", "old@users.example.test"));
        var oldOrder = LastSegment(ready["url"]!.GetValue<string>());

        Server.Time.Advance(TimeSpan.FromDays(365 + 730 + 2));
        var fresh = await ClientAsync("ES384");
        var newOrder = LastSegment((await fresh.NewOrderAsync("new@users.example.test")).Location!);

        using var output = new StringWriter();
        Assert.That(await AdminCommands.RunAsync(Server.App, ["audit", "purge"], output, TextWriter.Null), Is.Zero);
        var db = Server.Services.GetRequiredService<Database>();
        long Count(string sql, object p) => db.ReadAsync(c => c.ExecuteScalarAsync<long>(sql, p), CancellationToken.None).GetAwaiter().GetResult();
        Assert.That(Count("SELECT COUNT(*) FROM audit_events WHERE order_id = @id", new { id = oldOrder }), Is.Zero, output.ToString());
        Assert.That(Count("SELECT COUNT(*) FROM audit_events WHERE order_id = @id", new { id = newOrder }), Is.GreaterThan(0));
        Assert.That(Count("SELECT COUNT(*) FROM audit_events WHERE event = 'audit.purged'", new { }), Is.EqualTo(1));
    }

    [Test]
    public async Task Purge_RetentionUnderTwoYears_Refused()
    {
        using var error = new StringWriter();
        Assert.That(await AdminCommands.RunAsync(Server.App, ["audit", "purge", "--retention-days", "100"], TextWriter.Null, error), Is.EqualTo(2));
        Assert.That(error.ToString(), Does.Contain("at least 730"));
    }
}
