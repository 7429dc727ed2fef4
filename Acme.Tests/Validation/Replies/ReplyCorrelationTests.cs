using System.Text;
using Acme.Validation.Replies;
using MimeKit;

namespace Acme.Tests.Validation.Replies;

[TestFixture]
public sealed class ReplyCorrelationTests
{
    private static MimeMessage Parse(string headers)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("From: alice@example.test\r\n" + headers + "\r\n\r\nbody\r\n"));
        return MimeMessage.Load(new ParserOptions(), stream);
    }

    [TestCase("To: acme-challenge+2i211oi1204310@example.com", "2i211oi1204310")]
    [TestCase("To: CA <Acme-Challenge+tag1@EXAMPLE.com>", "tag1")]
    [TestCase("To: other@example.com\r\nCc: acme-challenge+tag2@example.com", "tag2")]
    [TestCase("To: ingest@example.com\r\nDelivered-To: acme-challenge+tag3@example.com", "tag3")]
    [TestCase("To: acme-challenge+tag4@example.com\r\nDelivered-To: acme-challenge+tag5@example.com", "tag4")]
    [TestCase("To: acme-challenge@example.com", null)]
    [TestCase("To: acme-challenge+@example.com", null)]
    [TestCase("To: acme-challenge+tag@example.org", null)]
    [TestCase("To: acme-challengex+tag@example.com", null)]
    public void CorrelationTag_Recipients_ReturnsPlusTag(string headers, string? expected)
    {
        Assert.That(ReplyValidator.CorrelationTag(Parse(headers), "acme-challenge", "example.com"), Is.EqualTo(expected));
    }

    [TestCase("In-Reply-To: <challenge-1@ca.example.test>", "challenge-1@ca.example.test")]
    [TestCase("Subject: x", null)]
    public void InReplyTo_Header_ReturnsMessageId(string header, string? expected)
    {
        Assert.That(ReplyValidator.InReplyTo(Parse(header)), Is.EqualTo(expected));
    }
}
