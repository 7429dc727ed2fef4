using System.Net.Security;
using Acme.Email.Transport;
using MailKit.Net.Smtp;

namespace Acme.Tests.Email.Transport;

[TestFixture]
public sealed class SmtpOptionsTests
{
    private static SmtpOptions Valid() => new() { Host = "smtp.example.test", Port = 587, Security = MailSecurity.StartTls };

    [Test]
    public void Validate_Defaults_Pass()
    {
        Assert.That(() => Valid().Validate(), Throws.Nothing);
        Assert.That(Valid().Timeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void Validate_MissingHost_NamesIt()
    {
        var options = Valid();
        options.Host = "";

        Assert.That(() => options.Validate(), Throws.InvalidOperationException.With.Message.Contains("Smtp:Host"));
    }

    [TestCase(0)]
    [TestCase(65536)]
    public void Validate_BadPort_NamesIt(int port)
    {
        var options = Valid();
        options.Port = port;

        Assert.That(() => options.Validate(), Throws.InvalidOperationException.With.Message.Contains("Smtp:Port"));
    }

    [Test]
    public void Validate_UserNameWithoutPasswordFile_NamesBoth()
    {
        var options = Valid();
        options.UserName = "ca";

        Assert.That(() => options.Validate(), Throws.InvalidOperationException.With.Message.Contains("Smtp:PasswordFile"));
    }

    [Test]
    public void Validate_MissingPasswordFile_NamesIt()
    {
        var options = Valid();
        options.UserName = "ca";
        options.PasswordFile = "/nonexistent/acme-smtp-password";

        Assert.That(() => options.Validate(), Throws.InvalidOperationException.With.Message.Contains("Smtp:PasswordFile"));
    }

    [Test]
    public void Validate_ZeroTimeout_NamesIt()
    {
        var options = Valid();
        options.Timeout = TimeSpan.Zero;

        Assert.That(() => options.Validate(), Throws.InvalidOperationException.With.Message.Contains("Smtp:Timeout"));
    }

    [TestCase("127.0.0.1", true)]
    [TestCase("127.10.0.1", true)]
    [TestCase("::1", true)]
    [TestCase("[::1]", true)]
    [TestCase("localhost", true)]
    [TestCase("LOCALHOST", true)]
    [TestCase("10.0.0.1", false)]
    [TestCase("smtp.example.test", false)]
    [TestCase("localhost.example.test", false)]
    public void IsLoopbackHost_Table(string host, bool expected)
    {
        Assert.That(MailConnection.IsLoopbackHost(host), Is.EqualTo(expected));
    }

    [TestCase("127.0.0.1", true, true)]
    [TestCase("smtp.example.test", true, false)]
    [TestCase("127.0.0.1", false, false)]
    public void ApplyCertificatePolicy_AcceptsBadCertificatesOnlyForLoopbackWhenAsked(string host, bool accept, bool expected)
    {
        using var client = new SmtpClient();

        MailConnection.ApplyCertificatePolicy(client, host, accept);

        Assert.That(client.ServerCertificateValidationCallback!(client, null, null, SslPolicyErrors.RemoteCertificateChainErrors), Is.EqualTo(expected));
    }
}
