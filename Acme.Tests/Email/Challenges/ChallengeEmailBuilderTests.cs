using System.Text;
using System.Text.RegularExpressions;
using Acme.Email.Challenges;
using MimeKit;
using MimeKit.Utils;

namespace Acme.Tests.Email.Challenges;

[TestFixture]
public sealed class ChallengeEmailBuilderTests
{
    private const string Token = "LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6v"; // 24 bytes, 32 characters
    private static readonly DateTimeOffset When = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private static ChallengeMailRequest Request() =>
        new("acme+a1b2@ca.example.test", "alice@example.test", Token, "ca.example.test", When);

    internal static byte[] Serialize(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(Acme.Email.Transport.WireFormat.For(message), stream);
        return stream.ToArray();
    }

    private static string[] HeaderLines(byte[] raw)
    {
        var text = Encoding.ASCII.GetString(raw);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return text[..end].Split("\r\n");
    }

    [Test]
    public void Build_HeaderLines_AreExactlyTheRfc8823Shape()
    {
        var lines = HeaderLines(Serialize(new ChallengeEmailBuilder().Build(Request())));

        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Exactly(1).EqualTo("From: acme+a1b2@ca.example.test"));
            Assert.That(lines, Has.Exactly(1).EqualTo("To: alice@example.test"));
            Assert.That(lines, Has.Exactly(1).EqualTo("Subject: ACME: " + Token));
            Assert.That(lines, Has.Exactly(1).EqualTo("Auto-Submitted: auto-generated; type=acme"));
            Assert.That(lines, Has.Exactly(1).EqualTo("Date: " + DateUtils.FormatDate(When)));
            Assert.That(lines, Has.Exactly(1).EqualTo("MIME-Version: 1.0"));
            Assert.That(lines, Has.Exactly(1).EqualTo("Content-Type: text/plain; charset=us-ascii"));
            Assert.That(lines, Has.Exactly(1).EqualTo("Content-Transfer-Encoding: 7bit"));
            Assert.That(lines, Has.Exactly(1).Matches(@"^Message-ID: <[^<>@\s]+@ca\.example\.test>$"));
            Assert.That(lines, Has.Exactly(1).Matches("(?i)^Message-ID:"), "MimeKit's default host-named Message-Id is replaced");
            Assert.That(lines, Has.None.Matches("^(Cc|Bcc|Reply-To|Sender):"));
            Assert.That(lines, Has.None.Matches(@"^[ \t]"), "no folded header lines");
            Assert.That(lines, Has.None.Contains("=?"), "no encoded words");
            Assert.That(lines, Has.Length.EqualTo(9), string.Join(" | ", lines));
        });
    }

    [Test]
    public void Build_ParsedBack_HasBareSingleAddressesAndTheToken()
    {
        var parsed = MimeMessage.Load(new MemoryStream(Serialize(new ChallengeEmailBuilder().Build(Request()))));

        Assert.Multiple(() =>
        {
            Assert.That(parsed.From.Mailboxes.Select(m => (m.Name, m.Address)), Is.EqualTo(new[] { (string.Empty, "acme+a1b2@ca.example.test") }));
            Assert.That(parsed.To.Mailboxes.Select(m => (m.Name, m.Address)), Is.EqualTo(new[] { (string.Empty, "alice@example.test") }));
            Assert.That(parsed.Cc, Is.Empty);
            Assert.That(parsed.Bcc, Is.Empty);
            Assert.That(parsed.ReplyTo, Is.Empty);
            Assert.That(parsed.Subject, Is.EqualTo("ACME: " + Token));
            Assert.That(parsed.Headers["Auto-Submitted"], Is.EqualTo("auto-generated; type=acme"));
            Assert.That(parsed.Date, Is.EqualTo(When));
            Assert.That(parsed.Body, Is.TypeOf<TextPart>());
            Assert.That(parsed.MessageId, Does.EndWith("@ca.example.test"));
        });
    }

    [Test]
    public void Build_Subject_MatchesAcme4jRegexAsAWholeAndYieldsTheToken()
    {
        var parsed = MimeMessage.Load(new MemoryStream(Serialize(new ChallengeEmailBuilder().Build(Request()))));
        var match = Regex.Match(parsed.Headers[HeaderId.Subject] ?? string.Empty, @"^ACME:\s+([0-9A-Za-z_\s-]+=?)\s*$");

        Assert.That(match.Success, Is.True);
        Assert.That(match.Groups[1].Value, Is.EqualTo(Token));
    }

    [Test]
    public void Build_Twice_GivesDifferentMessageIds()
    {
        var builder = new ChallengeEmailBuilder();
        var first = builder.Build(Request()).MessageId;
        var second = builder.Build(Request()).MessageId;

        Assert.That(second, Is.Not.EqualTo(first));
    }

    [Test]
    public void Build_ReplyTo_WrittenOnlyWhenGiven()
    {
        var lines = HeaderLines(Serialize(new ChallengeEmailBuilder().Build(Request() with { ReplyTo = "replies@ca.example.test" })));

        Assert.That(lines, Has.Exactly(1).EqualTo("Reply-To: replies@ca.example.test"));
    }

    [Test]
    public void Build_Body_IsShortAsciiExplanationWithoutTokensOrResponseBlock()
    {
        var raw = Serialize(new ChallengeEmailBuilder().Build(Request() with { OrganizationName = "Example CA" }));
        var text = Encoding.ASCII.GetString(raw);
        var body = text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];

        Assert.Multiple(() =>
        {
            Assert.That(raw.All(b => b < 0x80), Is.True);
            Assert.That(body, Does.Contain("Example CA").And.Contain("ACME client").And.Contain("no action is needed"));
            Assert.That(body, Does.Not.Contain(Token), "the token appears only in the Subject");
            Assert.That(body, Does.Not.Contain("BEGIN ACME RESPONSE"));
            Assert.That(body.Split("\r\n"), Has.All.Length.LessThanOrEqualTo(78));
        });
    }

    [Test]
    public void Request_CarriesNoSecretOfTheResponse()
    {
        // Requirements #26: token-part2, the key authorization and the digest must never reach the email.
        var names = typeof(ChallengeMailRequest).GetProperties().Select(p => p.Name);

        Assert.That(names, Has.None.Matches("(?i)part2|digest|keyauth|thumbprint"));
    }

    [TestCase("LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6=")]
    [TestCase("LgYemJLy3F1LDkiJ+dIGbEzyFJyOyf6v")]
    [TestCase("LgYemJLy3F1LDkiJ/dIGbEzyFJyOyf6v")]
    [TestCase("LgYemJLy3F1LDkiJ dIGbEzyFJyOyf6v")]
    [TestCase("LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6v\r\nBcc: x@y.test")]
    [TestCase("LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6ü")]
    [TestCase("tooShort")]
    [TestCase("")]
    public void Build_BadToken_Throws(string token)
    {
        Assert.That(() => new ChallengeEmailBuilder().Build(Request() with { TokenPart1 = token }), Throws.ArgumentException);
    }

    [TestCase("Alice <alice@example.test>")]
    [TestCase("<alice@example.test>")]
    [TestCase("\"Alice\" alice@example.test")]
    [TestCase("alice@example.test, bob@example.test")]
    [TestCase(" alice@example.test")]
    [TestCase("alice@example.test (Alice)")]
    [TestCase("alice")]
    [TestCase("")]
    public void Build_ToWithDisplayNameOrNotBare_Throws(string to)
    {
        Assert.That(() => new ChallengeEmailBuilder().Build(Request() with { To = to }), Throws.ArgumentException);
    }

    [Test]
    public void Build_FromWithDisplayName_Throws()
    {
        Assert.That(() => new ChallengeEmailBuilder().Build(Request() with { From = "CA <acme@ca.example.test>" }), Throws.ArgumentException);
    }

    [Test]
    public void Build_MultiLineOrganizationName_Throws()
    {
        Assert.That(() => new ChallengeEmailBuilder().Build(Request() with { OrganizationName = "Evil\nBcc: x@y.test" }), Throws.ArgumentException);
    }
}
