using System.Security.Cryptography;
using System.Text;
using Acme.Email.Imap;
using Acme.Email.Transport;
using Acme.Tests.Support.Mail;
using Acme.Validation.Codecs;
using Acme.Validation.Dkim;
using Acme.Validation.Identifiers;
using Acme.Validation.KeyAuthorization;
using Acme.Validation.Outcomes;
using Acme.Validation.Replies;
using MailKit.Search;
using MimeKit;

namespace Acme.Tests.Integration.MailStack;

/// <summary>
/// Reply in through a real MTA: alice's acme4j-style reply, submitted to postfix unsigned and signed by
/// opendkim (d=users.example.test), lands in acme's INBOX under its plus address; our
/// <see cref="ImapMailboxReader"/> fetches its raw bytes past a cursor and <see cref="ReplyValidator"/>
/// accepts it with keys from the real DNS.
/// </summary>
[Category("Integration")]
public sealed class MailStackReplyTests
{
    private MailStackFixture _stack = null!;

    [SetUp]
    public void RequireStack() => _stack = MailStackFixture.Require();

    [Test]
    public async Task OpendkimSignedReply_FetchedByImapReader_PassesReplyValidator_TamperedCopyFails()
    {
        var tokenPart1 = StrictBase64Url.Encode(RandomNumberGenerator.GetBytes(24));
        var tokenPart2 = StrictBase64Url.Encode(RandomNumberGenerator.GetBytes(16));
        var thumbprint = StrictBase64Url.Encode(RandomNumberGenerator.GetBytes(32));
        var challengeFrom = $"acme+{Guid.NewGuid():N}@{MailStackFixture.CaDomain}";
        var digest = ReplyDigest.Compute(tokenPart1, tokenPart2, thumbprint, TokenJoin.String);
        var reply = TestReplyFactory.Acme4j(new ReplyContent(MailStackFixture.Alice, challengeFrom, tokenPart1, digest, $"challenge-{tokenPart1}@{MailStackFixture.CaDomain}"));
        Assert.That(reply.Headers.Contains(HeaderId.DkimSignature), Is.False, "acme4j leaves DKIM to the MTA");

        await using var reader = new ImapMailboxReader(new ImapOptions
        {
            Host = MailStackFixture.Host,
            Port = _stack.ImapPort,
            Security = MailSecurity.None,
            UserName = MailStackFixture.AcmeMailbox,
            PasswordFile = _stack.PasswordFile(MailStackFixture.AcmeMailbox),
        }, TimeProvider.System);
        var cursor = await DrainAsync(reader);

        var sentAt = DateTimeOffset.UtcNow;
        await MailStackMail.SendSmtpAsync(_stack, reply);
        await MailStackMail.WaitForRawAsync(_stack, MailStackFixture.AcmeMailbox, SearchQuery.HeaderContains("Message-ID", reply.MessageId!));

        // As the server's loop does: IDLE (bounded) between passes; the open session learns of the new mail from it.
        Assert.That(await reader.WaitForNewMailAsync(TimeSpan.FromSeconds(10), CancellationToken.None), Is.True, "IDLE reports the new message");
        var batch = await reader.FetchNewAsync(cursor, 50, CancellationToken.None);
        var mine = batch.Messages.Where(m => Encoding.ASCII.GetString(m.RawBytes).Contains(reply.MessageId!, StringComparison.Ordinal)).ToList();
        Assert.That(mine, Has.Count.EqualTo(1), "the reply is fetched once past the cursor");
        Assert.That(batch.Cursor.LastUid, Is.GreaterThan(cursor.LastUid));
        var again = await reader.FetchNewAsync(batch.Cursor, 50, CancellationToken.None);
        Assert.That(again.Messages, Is.Empty, "nothing new past the returned cursor");
        Assert.That(again.Cursor, Is.EqualTo(batch.Cursor));

        var raw = mine[0].RawBytes;
        var received = await TestReplyFactory.ParseAsync(raw);
        Assert.That(received.Headers[HeaderId.DkimSignature], Does.Contain("d=users.example.test").And.Contain("s=sel1"), "signed by opendkim");
        Assert.That(received.Headers["Delivered-To"], Is.EqualTo(challengeFrom), "delivered through the plus address");

        var validator = new ReplyValidator(new ReplyDkimVerifier(new DnsClientDkimKeyLookup([_stack.DnsServer]), DkimPolicy.Default, TimeProvider.System));
        var expected = new ReplyExpectation(MailboxNormalizer.Normalize(MailStackFixture.Alice).Value!, tokenPart1, tokenPart2, thumbprint, sentAt.AddSeconds(-5), mine[0].ReceivedAt);
        var outcome = await validator.ValidateAsync(received, expected, CancellationToken.None);
        Assert.That(outcome.IsSuccess, Is.True, outcome.Failure?.Detail);
        Assert.That(outcome.Value!.Dkim.Domain, Is.EqualTo(MailStackFixture.UserDomain));
        Assert.That(ReplyValidator.CorrelationTag(received, "acme", MailStackFixture.CaDomain), Is.EqualTo(challengeFrom[5..challengeFrom.IndexOf('@')]));

        // One changed body byte (outside the response block) must break the signature.
        var text = Encoding.ASCII.GetString(raw);
        var at = text.IndexOf("automatically generated", StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThan(text.IndexOf("\r\n\r\n", StringComparison.Ordinal)), "the phrase is in the body");
        var changed = (byte[])raw.Clone();
        changed[at] = (byte)'A';
        var forged = await validator.ValidateAsync(await TestReplyFactory.ParseAsync(changed), expected, CancellationToken.None);
        Assert.That(forged.IsSuccess, Is.False);
        Assert.That(forged.Failure!.Kind, Is.EqualTo(FailureKind.Unauthorized), forged.Failure.Detail);

        Assert.That(await reader.MarkProcessedAsync(batch.Cursor.UidValidity, batch.Uids, CancellationToken.None), Is.True);
    }

    /// <summary>Reads everything already in the folder so the test sees only its own mail.</summary>
    private static async Task<ImapCursor> DrainAsync(ImapMailboxReader reader)
    {
        var cursor = ImapCursor.Start;
        for (var i = 0; i < 100; i++)
        {
            var batch = await reader.FetchNewAsync(cursor, 200, CancellationToken.None);
            cursor = batch.Cursor;
            if (!batch.MoreAvailable)
            {
                return cursor;
            }
        }

        Assert.Fail("acme's INBOX did not drain in 100 batches");
        return cursor;
    }
}
