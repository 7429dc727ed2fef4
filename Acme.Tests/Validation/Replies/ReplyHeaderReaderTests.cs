using System.Text;
using Acme.Validation.Outcomes;
using Acme.Validation.Replies;
using MimeKit;

namespace Acme.Tests.Validation.Replies;

[TestFixture]
public sealed class ReplyHeaderReaderTests
{
    private static MimeMessage Parse(string headers)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(headers + "\r\n\r\nbody\r\n"));
        return MimeMessage.Load(new ParserOptions(), stream);
    }

    [TestCase("Subject: Re: ACME: abcDEF-_123", "abcDEF-_123")]
    [TestCase("Subject: RE: ACME: abcDEF-_123", "abcDEF-_123")]
    [TestCase("Subject: Re: Re: acme: abcDEF-_123", "abcDEF-_123")]
    [TestCase("Subject: ACME:abcDEF", "abcDEF")]
    [TestCase("Subject: Re: ACME: abc\r\n DEF\r\n\t123", "abcDEF123")]
    [TestCase("Subject: Re: ACME: abcDEF==", "abcDEF")]
    [TestCase("Subject: =?UTF-8?Q?Re=3A_ACME=3A_abc_DEF?=", "abcDEF")]
    [TestCase("Subject: =?utf-8*de?B?UmU6IEFDTUU6IGFiY0RFRg==?=", "abcDEF")]
    public void SubjectToken_Subject_ReturnsTokenWithoutWhitespaceOrPadding(string header, string expected)
    {
        Assert.That(ReplyHeaderReader.SubjectToken(Parse("From: a@example.test\r\n" + header)), Is.EqualTo(expected));
    }

    [TestCase("Subject: Re: your certificate")]
    [TestCase("X-Other: ACME: abc")]
    public void SubjectToken_NoAcmeMarker_ReturnsNull(string header)
    {
        Assert.That(ReplyHeaderReader.SubjectToken(Parse("From: a@example.test\r\n" + header)), Is.Null);
    }

    [TestCase("From: Alice <alice@Example.TEST>", "alice@example.test")]
    [TestCase("From: alice@bücher.example", "alice@xn--bcher-kva.example")]
    public void FromMailbox_SingleMailbox_ReturnsNormalized(string header, string expected)
    {
        var outcome = ReplyHeaderReader.FromMailbox(Parse(header));

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
        Assert.That(outcome.Value!.Address, Is.EqualTo(expected));
    }

    [TestCase("To: a@example.test", "no From header field")]
    [TestCase("From: a@example.test\r\nFrom: b@example.test", "2 From header fields")]
    [TestCase("From: a@example.test, b@example.test", "holds 2 addresses")]
    [TestCase("From: team: a@example.test;", "group")]
    [TestCase("From: not-an-address", "not usable")]
    public void FromMailbox_NotExactlyOneMailbox_FailsUnauthorized(string headers, string reason)
    {
        var outcome = ReplyHeaderReader.FromMailbox(Parse(headers));

        Assert.That(outcome.IsSuccess, Is.False);
        Assert.That(outcome.Failure!.Kind, Is.EqualTo(FailureKind.Unauthorized));
        Assert.That(outcome.Failure.Detail, Does.Contain(reason));
    }

    [TestCase("List-Id: <x.example.test>", true)]
    [TestCase("list-unsubscribe: <mailto:x@example.test>", true)]
    [TestCase("X-List-Id: x", false)]
    [TestCase("Subject: List-Id", false)]
    public void HasListHeaders_Header_DetectsListFields(string header, bool expected)
    {
        Assert.That(ReplyHeaderReader.HasListHeaders(Parse("From: a@example.test\r\n" + header)), Is.EqualTo(expected));
    }
}
