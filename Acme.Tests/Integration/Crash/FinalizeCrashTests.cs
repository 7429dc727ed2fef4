using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Acme.Tests.Server.EndToEnd;
using Acme.Tests.Support;
using Acme.Tests.Support.Certificates;
using Acme.Tests.Support.Dns;
using Acme.Tests.Support.Jose;
using Acme.Tests.Support.Mail;
using Acme.Validation.KeyAuthorization;
using Dapper;
using Microsoft.Data.Sqlite;
using MimeKit;

namespace Acme.Tests.Integration.Crash;

/// <summary>
/// Issue 9 item 3: the real server process is killed with SIGKILL at random moments during finalize,
/// at least 30 times; after restarts no order stays in processing and no order has two certificates.
/// </summary>
[Category("Integration")]
public sealed class FinalizeCrashTests
{
    private const string Mailbox = "crash@crash.example.test";
    private const int Kills = 36;
    private static readonly TimeSpan TimeBound = TimeSpan.FromMinutes(4);

    [Test]
    public async Task KilledDuringFinalize_NoOrderStuck_NoDuplicateCertificate()
    {
        if (!DnsmasqServer.IsInstalled)
        {
            RequiredTool.Missing("dnsmasq (Debian dnsmasq-base) serves the reply's DKIM key to the server process");
        }

        using var dns = DnsmasqServer.Start(["test"], [], $"--txt-record=rsa._domainkey.crash.example.test,{DkimTestKey.Rsa2048.TxtRecord}");
        var data = Path.Combine(Path.GetTempPath(), "acme-crash-" + Guid.NewGuid().ToString("N"));
        var (https, http) = (ServerProcess.FreePort(), ServerProcess.FreePort());
        string[] settings =
        [
            $"Dns:Servers:0={dns.Endpoint}", "Mail:FirstSendDelay=00:00:00", "Mail:LoopInterval=00:00:00.100",
            "Issuance:RecoverProcessingAfter=00:00:01", "Dkim:Algorithm=ed25519-sha256", "Logging:LogLevel:Default=Warning",
        ];
        var server = await ServerProcess.StartAsync(data, https, http, settings, TimeSpan.FromSeconds(60));
        var key = TestAccountKey.Create("ES256");
        var random = new Random(9_003);
        var clock = Stopwatch.StartNew();
        var (leftProcessing, kills) = (0, 0);
        var orderIds = new List<string>();
        try
        {
            var client = await ValidatedClientAsync(server, key, data);
            while (kills < Kills && clock.Elapsed < TimeBound)
            {
                var order = await client.NewOrderAsync(Mailbox);
                Assert.That(order.Json!["status"]!.GetValue<string>(), Is.EqualTo("ready"), "the mailbox's valid authorization is reused");
                orderIds.Add(LastSegment(order.Location!));
                var csr = TestCsrBuilder.ForKey(TestKeys.Get("p256")).WithRfc822(Mailbox).Build();
                var finalize = client.FinalizeAsync(order.Json["finalize"]!.GetValue<string>(), csr);
                try
                {
                    await finalize.WaitAsync(TimeSpan.FromMilliseconds(random.Next(0, 120)));
                }
                catch (TimeoutException)
                {
                    // Still running: this is the moment to kill.
                }

                server.Kill();
                kills++;
                _ = finalize.ContinueWith(t => t.Exception, TaskScheduler.Default); // the request dies with the server
                leftProcessing += await StatusAsync(data, orderIds[^1]) == "processing" ? 1 : 0;
                server.Dispose();
                server = await ServerProcess.StartAsync(data, https, http, settings, TimeSpan.FromSeconds(60));
                client = new AcmeTestClient(server.CreateHttpClient(), server.DirectoryUrl, key) { AccountUrl = client.AccountUrl };
                await client.InitializeAsync();
            }

            var settled = await Eventually.HoldsAsync(async () => await CountAsync(data, "SELECT COUNT(*) FROM orders WHERE status = 'processing'") == 0, TimeSpan.FromSeconds(30));
            var duplicates = await CountAsync(data, "SELECT COUNT(*) FROM (SELECT order_id FROM certificates GROUP BY order_id HAVING COUNT(*) > 1)");
            var issuedTwice = await CountAsync(data, "SELECT COUNT(*) FROM (SELECT order_id FROM audit_events WHERE event = 'certificate.issued' GROUP BY order_id HAVING COUNT(*) > 1)");
            var valid = await CountAsync(data, "SELECT COUNT(*) FROM orders WHERE status = 'valid' AND certificate_id IN (SELECT id FROM certificates)");
            var invalid = await CountAsync(data, "SELECT COUNT(*) FROM orders WHERE status = 'invalid'");
            var ready = await CountAsync(data, "SELECT COUNT(*) FROM orders WHERE status IN ('ready', 'pending')");
            TestContext.Out.WriteLine($"kills {kills}, orders left in processing by a kill {leftProcessing}, then: valid {valid}, invalid {invalid}, " +
                $"ready (killed before finalize took effect) {ready}, stuck {await CountAsync(data, "SELECT COUNT(*) FROM orders WHERE status = 'processing'")}, " +
                $"orders with two certificates {duplicates}, in {clock.Elapsed.TotalSeconds:0} s");

            Assert.That(kills, Is.GreaterThanOrEqualTo(30), $"only {kills} kills fit in {TimeBound}");
            Assert.That(settled, Is.True, "an order stayed in processing after recovery: " + server.Output);
            Assert.That(duplicates, Is.Zero);
            Assert.That(issuedTwice, Is.Zero);
            Assert.That(leftProcessing, Is.GreaterThan(0), "no kill landed inside finalize: the test did not exercise recovery");
        }
        finally
        {
            server.Dispose();
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Registers, validates the mailbox once through the real mail flow (file transport, DKIM over dnsmasq).</summary>
    private static async Task<AcmeTestClient> ValidatedClientAsync(ServerProcess server, TestAccountKey key, string data)
    {
        var client = new AcmeTestClient(server.CreateHttpClient(), server.DirectoryUrl, key);
        await client.InitializeAsync();
        Assert.That((await client.NewAccountAsync()).Status, Is.EqualTo(HttpStatusCode.Created));
        var order = await client.NewOrderAsync(Mailbox);
        Assert.That(order.Status, Is.EqualTo(HttpStatusCode.Created), order.ToString());
        var authzUrl = order.Json!["authorizations"]![0]!.GetValue<string>();
        var challenge = (await client.PostAsGetAsync(authzUrl)).Json!["challenges"]![0]!;
        var outgoing = Path.Combine(data, "mail", "outgoing");
        Assert.That(await Eventually.HoldsAsync(() => Task.FromResult(Directory.Exists(outgoing) && Directory.GetFiles(outgoing, "*.eml").Length > 0), TimeSpan.FromSeconds(30)),
            Is.True, "challenge mail written: " + server.Output);
        var mail = await MimeMessage.LoadAsync(Directory.GetFiles(outgoing, "*.eml").Single());
        var tokenPart1 = mail.Subject!["ACME: ".Length..];
        var digest = ReplyDigest.Compute(tokenPart1, challenge["token"]!.GetValue<string>(), key.Thumbprint, TokenJoin.String);
        var reply = TestReplyFactory.Acme4j(new ReplyContent(Mailbox, challenge["from"]!.GetValue<string>(), tokenPart1, digest, mail.MessageId));
        TestReplyFactory.Sign(reply, DkimTestKey.Rsa2048, "crash.example.test", "rsa", DateTimeOffset.UtcNow.AddMinutes(-1));
        var incoming = Path.Combine(data, "mail", "incoming");
        Directory.CreateDirectory(Path.Combine(incoming, "tmp"));
        var temp = Path.Combine(incoming, "tmp", "reply.eml");
        await File.WriteAllBytesAsync(temp, TestReplyFactory.ToBytes(reply));
        File.Move(temp, Path.Combine(incoming, "new", "reply.eml"));
        await client.PostAsync(challenge["url"]!.GetValue<string>(), new JsonObject());
        Assert.That(await Eventually.HoldsAsync(async () => (await client.PostAsGetAsync(authzUrl)).Json!["status"]!.GetValue<string>() == "valid", TimeSpan.FromSeconds(30)),
            Is.True, "mailbox validated: " + server.Output);
        return client;
    }

    private static async Task<long> CountAsync(string data, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "acme.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    private static async Task<string?> StatusAsync(string data, string orderId)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "acme.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<string?>("SELECT status FROM orders WHERE id = @orderId", new { orderId });
    }

    private static string LastSegment(string url) => url[(url.LastIndexOf('/') + 1)..];
}
