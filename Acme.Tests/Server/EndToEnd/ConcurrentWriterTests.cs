using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Acme.Tests.Support.Certificates;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Issue 11 item 2: rules that SQLite kept because it has one writer at a time hold under concurrent
/// writers on PostgreSQL too (SERIALIZABLE writes, conflicts retried): a counted limit is never
/// overrun, and a certificate gets one live replacement. Each race is run on both engines.
/// </summary>
public sealed class ConcurrentWriterTests : EndToEndTestBase
{
    private const int Racers = 10;

    protected override string[] Settings => ["Mail:RunInBackground=false", "Mail:MaxChallengesPerMailboxPerDay=3"];

    [Test]
    public async Task ConcurrentNewOrders_OneInbox_DailyLimitHoldsExactly()
    {
        var clients = new List<AcmeTestClient>();
        for (var i = 0; i < Racers; i++)
        {
            clients.Add(await ClientAsync());
        }

        var answers = await Task.WhenAll(clients.Select(c => c.NewOrderAsync("race@concurrent.example.test")));

        Assert.That(answers.Count(a => a.Status == HttpStatusCode.Created), Is.EqualTo(3), string.Join(Environment.NewLine, answers.Select(a => a.ToString())));
        Assert.That(answers.Count(a => a.Status == (HttpStatusCode)429 && a.ProblemType!.EndsWith("rateLimited", StringComparison.Ordinal)), Is.EqualTo(Racers - 3));
    }

    [Test]
    public async Task ConcurrentReplacements_OneCertificate_ExactlyOneWins()
    {
        var owner = await ClientAsync();
        var ready = await ReadyOrderAsync(owner, "renew@concurrent.example.test");
        var valid = await FinalizeAsync(owner, ready, Csr("p256", "renew@concurrent.example.test"));
        var leaf = new X509CertificateParser().ReadCertificate(Encoding.ASCII.GetBytes((await owner.PostAsGetAsync(valid["certificate"]!.GetValue<string>())).Body));
        var ariId = AriIds.Of(leaf);

        // One account, several connections: each client keeps its own nonce.
        var sameAccount = new List<AcmeTestClient>();
        for (var i = 0; i < Racers; i++)
        {
            var client = new AcmeTestClient(Http, Server.DirectoryUrl, owner.Key);
            await client.InitializeAsync();
            Assert.That((await client.NewAccountAsync()).Status, Is.EqualTo(HttpStatusCode.OK), "the existing account");
            sameAccount.Add(client);
        }

        var answers = await Task.WhenAll(sameAccount.Select(c => c.PostAsync(c.Url("newOrder"), new JsonObject
        {
            ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "email", ["value"] = "renew@concurrent.example.test" }),
            ["replaces"] = ariId,
        })));

        Assert.That(answers.Count(a => a.Status == HttpStatusCode.Created), Is.EqualTo(1), string.Join(Environment.NewLine, answers.Select(a => a.ToString())));
        Assert.That(answers.Count(a => a.Status == HttpStatusCode.Conflict && a.ProblemType!.EndsWith("alreadyReplaced", StringComparison.Ordinal)), Is.EqualTo(Racers - 1));
    }
}
