using Acme.Tests.Support.Storage;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Acme.Server.Storage;
using Acme.Tests.Server.EndToEnd;
using Acme.Tests.Support.Jose;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Tests.Server.Storage;

/// <summary>
/// Every statement the server runs during a full flow (accounts, orders, authorizations, challenges,
/// finalize, download, revocation, orders list, key change, mail outbox and replies) is checked
/// with EXPLAIN QUERY PLAN: none may scan a whole table.
/// </summary>
[StorageMatrix(StorageProvider.Sqlite)] // EXPLAIN QUERY PLAN of SQLite
public sealed partial class QueryPlanTests : EndToEndTestBase
{
    private readonly ConcurrentQueue<string> _statements = new();

    protected override string[] Settings => ["Mail:RunInBackground=false"];

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IStorageEngine>(sp =>
        {
            var data = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Acme.Server.Hosting.AcmeServerOptions>>().Value.DataDirectory;
            return new SqliteConnectionFactory(Path.Combine(data, "acme.db"), 5000, cs => new RecordingSqliteConnection(cs, _statements));
        });

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex Parameter();

    [Test]
    public async Task RequestPathQueries_AllUseIndexes()
    {
        _statements.Clear(); // start-up (migrations) is not a request path
        var client = await ClientAsync();
        var other = await ClientAsync("ES384");
        var ready = await ReadyOrderAsync(client, "plan@users.example.test");
        var valid = await FinalizeAsync(client, ready, Csr("p256", "plan@users.example.test"));
        var chain = (await client.PostAsGetAsync(valid["certificate"]!.GetValue<string>())).Body;
        await client.NewOrderAsync("plan@users.example.test");
        await client.PostAsGetAsync((await client.PostAsGetAsync(client.AccountUrl!)).Json!["orders"]!.GetValue<string>());
        var der = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(System.Text.Encoding.ASCII.GetBytes(chain)).GetEncoded();
        await other.PostAsync(client.Url("revokeCert"), new JsonObject { ["certificate"] = Acme.Validation.Codecs.StrictBase64Url.Encode(der) });
        await client.PostAsync(client.Url("revokeCert"), new JsonObject { ["certificate"] = Acme.Validation.Codecs.StrictBase64Url.Encode(der) });
        using var newKey = TestAccountKey.Create("ES256");
        var inner = JsonNode.Parse(JwsBuilder.Sign(newKey, new JsonObject { ["alg"] = "ES256", ["jwk"] = newKey.PublicJwk(), ["url"] = client.Url("keyChange") },
            new JsonObject { ["account"] = client.AccountUrl, ["oldKey"] = client.Key.PublicJwk() }.ToJsonString()))!;
        await client.PostAsync(client.Url("keyChange"), inner);
        Server.Time.Advance(TimeSpan.FromSeconds(5));
        await Server.Services.GetRequiredService<Acme.Server.Workflows.ChallengeMailDispatcher>().RunOnceAsync(CancellationToken.None);
        await Server.Services.GetRequiredService<Acme.Server.Workflows.ReplyProcessor>().RunOnceAsync(CancellationToken.None);
        await Server.Services.GetRequiredService<Acme.Server.Workflows.ProcessingOrderRecovery>().RunOnceAsync(CancellationToken.None);
        var outbox = Server.Services.GetRequiredService<IOutboxStore>();
        await Server.Services.GetRequiredService<Database>().ReadAsync(c => outbox.DueInOrderAsync(c, 0, 3000, 20), CancellationToken.None);
        using var plain = new HttpClient();
        await plain.GetByteArrayAsync(Server.Urls.CrlUrl);

        var queries = _statements.Where(s => Regex.IsMatch(s, @"^\s*(SELECT|UPDATE|DELETE)", RegexOptions.IgnoreCase)).Distinct().ToList();
        Assert.That(queries, Has.Count.GreaterThan(15), "the flow exercised the stores");

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Server.DataDirectory, "acme.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        var scans = new List<string>();
        foreach (var sql in queries)
        {
            var parameters = new DynamicParameters();
            foreach (var name in Parameter().Matches(sql).Select(m => m.Groups[1].Value).Distinct())
            {
                parameters.Add(name, null);
            }

            var plan = (await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql, parameters)).Select(r => r.Detail).ToList();
            // A table or its alias counts; reading the rows a LIMITed subquery produced ("FROM (…) q") is no table scan.
            scans.AddRange(plan.Where(d => Regex.Match(d, @"^SCAN (\w+)$") is { Success: true } m && !Regex.IsMatch(sql, $@"\)\s+{m.Groups[1].Value}\b"))
                .Select(d => $"{d} in: {sql}"));
        }

        Assert.That(scans, Is.Empty, string.Join(Environment.NewLine, scans));
    }
}
