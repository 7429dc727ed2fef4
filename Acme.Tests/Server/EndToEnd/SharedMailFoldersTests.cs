using System.Text.Json.Nodes;
using Acme.Server.Mail;
using Acme.Server.Storage;
using Acme.Server.Workflows;
using Acme.Tests.Support.Dns;
using Acme.Tests.Support.Mail;
using Acme.Validation.Dkim;
using Acme.Validation.KeyAuthorization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Issue 11 item 3: two instances on one database sharing the file transport's folders. Either sends; only
/// the holder of the reader lease reads the incoming folder, so a reply is recorded and judged once; when the
/// holder stops (killed), the other takes the folder over after <c>Mail:ReaderLease</c>.
/// </summary>
public sealed class SharedMailFoldersTests : EndToEndTestBase
{
    private const string Mailbox = "shared@example.test";
    private readonly FakeDkimKeyLookup _dns = new();
    private RunningAcmeServer _other = null!;

    protected override string[] Settings => ["Mail:RunInBackground=false", "Mail:FirstSendDelay=00:00:00"];

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IDkimKeyLookup>(_dns.PublishKey("rsa", "example.test", DkimTestKey.Rsa2048.TxtRecord));

    private string MailFolder => Path.Combine(Server.DataDirectory, "mail");

    [SetUp]
    public async Task StartSecondInstanceAsync()
    {
        var storage = Server.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var database = Server.Services.GetRequiredService<IStorageEngine>() is SqliteConnectionFactory sqlite
            ? $"Storage:DatabasePath={sqlite.DatabasePath}"
            : $"Storage:ConnectionStringFile={storage.ConnectionStringFile}";
        _other = await RunningAcmeServer.StartAsync(ConfigureServices,
        [
            .. Settings, $"Storage:Provider={storage.Provider}", database,
            $"Mail:OutgoingDirectory={Path.Combine(MailFolder, "outgoing")}", $"Mail:IncomingDirectory={Path.Combine(MailFolder, "incoming")}",
        ]);
    }

    [TearDown]
    public async Task StopSecondInstanceAsync() => await _other.DisposeAsync();

    private static LeasedReplyReader Reader(RunningAcmeServer server) => server.Services.GetRequiredService<LeasedReplyReader>();

    [Test]
    public async Task OneReaderAtATime_ReplyJudgedOnce_TakenOverWhenTheReaderStops()
    {
        var client = await ClientAsync();
        var first = await ChallengeAndReplyAsync(client, "first.eml");

        Assert.That(await Reader(_other).RunOnceAsync(CancellationToken.None), Is.True, "the second instance takes the lease first");
        Assert.That(await Reader(Server).RunOnceAsync(CancellationToken.None), Is.False, "this one does not read meanwhile");
        Assert.That(await StatusAsync(client, first), Is.EqualTo("valid"));

        var second = await ChallengeAndReplyAsync(client, "second.eml");
        // The reader stopped renewing (killed): 31 s after its last renewal, by its clock, its 30 s lease has run out.
        var past = _other.Time.GetUtcNow().AddSeconds(31);
        Server.Time.SetUtcNow(past > Server.Time.GetUtcNow() ? past : Server.Time.GetUtcNow().AddSeconds(31));
        Assert.That(await Reader(Server).RunOnceAsync(CancellationToken.None), Is.True, "taken over");
        Assert.That(await Reader(_other).RunOnceAsync(CancellationToken.None), Is.False);
        Assert.That(await StatusAsync(client, second), Is.EqualTo("valid"));

        var db = Server.Services.GetRequiredService<Database>();
        Assert.That(await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM inbound_replies WHERE processed_at IS NOT NULL"), CancellationToken.None),
            Is.EqualTo(2), "each reply recorded and judged once");
        Assert.That(Directory.GetFiles(Path.Combine(MailFolder, "incoming", "cur")), Has.Length.EqualTo(2));
    }

    /// <summary>Orders the mailbox, has the challenge mail sent, drops a signed reply into the shared folder and POSTs the challenge.</summary>
    private async Task<string> ChallengeAndReplyAsync(AcmeTestClient client, string file)
    {
        var order = await client.NewOrderAsync(Mailbox);
        var authzUrl = order.Json!["authorizations"]![0]!.GetValue<string>();
        var challenge = (await client.PostAsGetAsync(authzUrl)).Json!["challenges"]![0]!;
        await _other.Services.GetRequiredService<ChallengeMailDispatcher>().RunOnceAsync(CancellationToken.None); // sent by whichever instance gets to it
        var from = challenge["from"]!.GetValue<string>();
        var mail = (await Task.WhenAll(Directory.GetFiles(Path.Combine(MailFolder, "outgoing"), "*.eml").Select(f => MimeMessage.LoadAsync(f))))
            .Single(m => m.From.Mailboxes.Single().Address == from);
        var tokenPart1 = mail.Subject!["ACME: ".Length..];
        var digest = ReplyDigest.Compute(tokenPart1, challenge["token"]!.GetValue<string>(), client.Key.Thumbprint, TokenJoin.String);
        var reply = TestReplyFactory.Acme4j(new ReplyContent(Mailbox, from, tokenPart1, digest, mail.MessageId));
        TestReplyFactory.Sign(reply, DkimTestKey.Rsa2048, "example.test", "rsa", DateTimeOffset.UtcNow.AddMinutes(-1));
        Directory.CreateDirectory(Path.Combine(MailFolder, "incoming", "new"));
        await File.WriteAllBytesAsync(Path.Combine(MailFolder, "incoming", "new", file), TestReplyFactory.ToBytes(reply));
        var url = challenge["url"]!.GetValue<string>();
        await client.PostAsync(url, new JsonObject());
        return url;
    }

    private static async Task<string> StatusAsync(AcmeTestClient client, string challengeUrl) =>
        (await client.PostAsGetAsync(challengeUrl)).Json!["status"]!.GetValue<string>();
}
