using Acme.Server.Workflows;
using Acme.Tests.Support.Dns;
using Acme.Tests.Support.Mail;
using Acme.Validation.Dkim;
using Acme.Validation.KeyAuthorization;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Issue 10 item 3: with Mail:SequentialChallengeMails an order's challenge mails go out one at a
/// time in authorization order, each after the reply to the previous one was recorded plus
/// Mail:SequentialSendDelay (acme_email reads only the last message IMAP announces).
/// </summary>
public sealed class SequentialMailTests : EndToEndTestBase
{
    protected override string[] Settings =>
        ["Mail:RunInBackground=false", "Mail:FirstSendDelay=00:00:00", "Mail:SequentialChallengeMails=true", "Mail:SequentialSendDelay=00:00:03"];

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IDkimKeyLookup>(new FakeDkimKeyLookup().PublishKey("rsa", "example.test", DkimTestKey.Rsa2048.TxtRecord));

    private ChallengeMailDispatcher Dispatcher => Server.Services.GetRequiredService<ChallengeMailDispatcher>();

    private string Outgoing => Path.Combine(Server.DataDirectory, "mail", "outgoing");

    [Test]
    public async Task TwoMailboxes_SecondMailWaitsForTheFirstReplyPlusTheDelay()
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync("first@example.test", "second@example.test");
        var challenges = new List<System.Text.Json.Nodes.JsonNode>();
        foreach (var url in order.Json!["authorizations"]!.AsArray().Select(a => a!.GetValue<string>()))
        {
            challenges.Add((await client.PostAsGetAsync(url)).Json!["challenges"]![0]!);
        }

        Assert.That(await Dispatcher.RunOnceAsync(CancellationToken.None), Is.EqualTo(1), "only the first authorization's mail");
        var first = await MimeMessage.LoadAsync(Directory.GetFiles(Outgoing, "*.eml").Single());
        Assert.That(first.To.Mailboxes.Single().Address, Is.EqualTo("first@example.test"));
        Assert.That(await Dispatcher.RunOnceAsync(CancellationToken.None), Is.Zero, "the second waits for the first reply");

        var tokenPart1 = first.Subject!["ACME: ".Length..];
        var digest = ReplyDigest.Compute(tokenPart1, challenges[0]["token"]!.GetValue<string>(), client.Key.Thumbprint, TokenJoin.Bytes);
        var reply = TestReplyFactory.AcmeEmail(new ReplyContent("first@example.test", challenges[0]["from"]!.GetValue<string>(), tokenPart1, digest, first.MessageId));
        TestReplyFactory.Sign(reply, DkimTestKey.Rsa2048, "example.test", "rsa", DateTimeOffset.UtcNow.AddMinutes(-1));
        var incoming = Path.Combine(Server.DataDirectory, "mail", "incoming", "new");
        Directory.CreateDirectory(incoming);
        await File.WriteAllBytesAsync(Path.Combine(incoming, "reply.eml"), TestReplyFactory.ToBytes(reply));
        Assert.That(await Server.Services.GetRequiredService<ReplyProcessor>().RunOnceAsync(CancellationToken.None), Is.EqualTo(1));

        Server.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.That(await Dispatcher.RunOnceAsync(CancellationToken.None), Is.Zero, "Mail:SequentialSendDelay has not passed");
        Assert.That((await client.PostAsGetAsync(challenges[1]["url"]!.GetValue<string>())).Json!["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        Server.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await Dispatcher.RunOnceAsync(CancellationToken.None), Is.EqualTo(1));
        Assert.That(Directory.GetFiles(Outgoing, "*.eml").Select(f => MimeMessage.Load(f).To.Mailboxes.Single().Address), Has.Member("second@example.test"));
    }
}
