using System.Text.Json.Nodes;
using Acme.Server.Workflows;
using Acme.Tests.Support.Certificates;
using Acme.Tests.Support.Dns;
using Acme.Tests.Support.Mail;
using Acme.Validation.Dkim;
using Acme.Validation.KeyAuthorization;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MimeKit.Cryptography;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// S/MIME-signed challenge mails (RFC 8823 §3.1 items 6-7): the challenge <c>from</c> is the bare
/// mailbox the signer certificate names, the mail is multipart/signed and DKIM-signed, and replies are
/// matched by In-Reply-To.
/// </summary>
public sealed class SmimeChallengeMailTests : EndToEndTestBase
{
    private const string Mailbox = "alice@example.test";
    private readonly string _identityDir = Path.Combine(Path.GetTempPath(), "acme-smime-e2e-" + Guid.NewGuid().ToString("N"));
    private SmimeTestIdentity _identity = null!;

    [OneTimeSetUp]
    public async Task CreateIdentityAsync() => _identity = await SmimeTestIdentity.CreateAsync("acme@acme.localhost", _identityDir);

    [OneTimeTearDown]
    public void DeleteIdentity() => Directory.Delete(_identityDir, recursive: true);

    protected override string[] Settings =>
        ["Mail:RunInBackground=false", $"Smime:CertificatePath={_identity.CertificatePath}", $"Smime:KeyPath={_identity.KeyPath}"];

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IDkimKeyLookup>(new FakeDkimKeyLookup().PublishKey("rsa", "example.test", DkimTestKey.Rsa2048.TxtRecord));

    [Test]
    public async Task SignedChallenge_ReplyByInReplyTo_ChallengeValid()
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync(Mailbox);
        var second = await client.NewOrderAsync("bob@example.test");
        var challenge = (await client.PostAsGetAsync(order.Json!["authorizations"]![0]!.GetValue<string>())).Json!["challenges"]![0]!;
        var other = (await client.PostAsGetAsync(second.Json!["authorizations"]![0]!.GetValue<string>())).Json!["challenges"]![0]!;
        Assert.That(challenge["from"]!.GetValue<string>(), Is.EqualTo("acme@acme.localhost"), "RFC 8823 §3.1 item 6: From is the signer's address");
        Assert.That(other["from"]!.GetValue<string>(), Is.EqualTo("acme@acme.localhost"));

        Server.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.That(await Server.Services.GetRequiredService<ChallengeMailDispatcher>().RunOnceAsync(CancellationToken.None), Is.EqualTo(2));
        var mails = new List<MimeMessage>();
        foreach (var file in Directory.GetFiles(Path.Combine(Server.DataDirectory, "mail", "outgoing"), "*.eml"))
        {
            mails.Add(await MimeMessage.LoadAsync(file));
        }

        var mail = mails.Single(m => m.To.Mailboxes.Single().Address == Mailbox);
        Assert.That(mail.Headers.Contains(HeaderId.DkimSignature), Is.True, "still DKIM-signed");
        using (var context = new TemporarySecureMimeContext())
        {
            await context.ImportAsync(_identity.Root);
            var signatures = await ((MultipartSigned)mail.Body!).VerifyAsync(context);
            Assert.That(signatures.Single().Verify(), Is.True);
        }

        var tokenPart1 = mail.Subject!["ACME: ".Length..];
        var digest = ReplyDigest.Compute(tokenPart1, challenge["token"]!.GetValue<string>(), client.Key.Thumbprint, TokenJoin.Bytes);
        var reply = TestReplyFactory.Acmez(new ReplyContent(Mailbox, "acme@acme.localhost", tokenPart1, digest, mail.MessageId));
        TestReplyFactory.Sign(reply, DkimTestKey.Rsa2048, "example.test", "rsa", DateTimeOffset.UtcNow.AddMinutes(-1));
        var incoming = Path.Combine(Server.DataDirectory, "mail", "incoming", "new");
        Directory.CreateDirectory(incoming);
        await File.WriteAllBytesAsync(Path.Combine(incoming, "reply.eml"), TestReplyFactory.ToBytes(reply));
        await Server.Services.GetRequiredService<ReplyProcessor>().RunOnceAsync(CancellationToken.None);

        var posted = await client.PostAsync(challenge["url"]!.GetValue<string>(), new JsonObject());
        Assert.That(posted.Json!["status"]!.GetValue<string>(), Is.EqualTo("valid"), posted.ToString());
        Assert.That((await client.PostAsGetAsync(other["url"]!.GetValue<string>())).Json!["status"]!.GetValue<string>(), Is.EqualTo("pending"),
            "the reply was matched to its own challenge only");
    }
}
