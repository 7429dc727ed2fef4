using System.Text;
using Acme.Validation.Replies;
using MimeKit;

namespace Acme.Tests.Validation.Replies;

[TestFixture]
public sealed class ReplyBodyReaderTests
{
    private static MimeMessage Parse(string raw)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(raw));
        return MimeMessage.Load(new ParserOptions(), stream);
    }

    [Test]
    public void FindResponseText_NoContentType_IsTextPlain()
    {
        Assert.That(ReplyBodyReader.FindResponseText(Parse("From: a@example.test\n\nhello\n")), Is.EqualTo("hello\n"));
    }

    [Test]
    public void FindResponseText_QuotedPrintable_IsDecoded()
    {
        var raw = "From: a@example.test\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nGr=C3=BC=C3=9Fe abc=\r\ndef\r\n";

        Assert.That(ReplyBodyReader.FindResponseText(Parse(raw)), Does.StartWith("Grüße abcdef").And.Not.Contain("="));
    }

    [Test]
    public void FindResponseText_HtmlOnly_IsNull()
    {
        var raw = "From: a@example.test\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n";

        Assert.That(ReplyBodyReader.FindResponseText(Parse(raw)), Is.Null);
    }

    [Test]
    public void FindResponseText_NestedMultipart_FindsFirstPlainLeafDepthFirst()
    {
        var raw = "From: a@example.test\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\n"
            + "--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n"
            + "--inner\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n"
            + "--inner\r\nContent-Type: text/plain\r\n\r\nfirst plain\r\n--inner--\r\n"
            + "--outer\r\nContent-Type: text/plain\r\n\r\ndisclaimer\r\n--outer--\r\n";

        Assert.That(ReplyBodyReader.FindResponseText(Parse(raw)), Does.StartWith("first plain"));
    }

    [Test]
    public void FindResponseText_AttachedMessage_IsNotEntered()
    {
        var raw = "From: a@example.test\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            + "--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: x@example.test\r\n\r\ninner plain\r\n--b--\r\n";

        Assert.That(ReplyBodyReader.FindResponseText(Parse(raw)), Is.Null);
    }
}
