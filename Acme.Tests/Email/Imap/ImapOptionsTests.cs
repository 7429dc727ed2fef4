using Acme.Email.Imap;
using Acme.Email.Transport;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Email.Imap;

[TestFixture]
public sealed class ImapOptionsTests
{
    private EmailTestDirectory _dir = null!;
    private string _passwordFile = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = new EmailTestDirectory();
        _passwordFile = Path.Combine(_dir.Path, "imap-password");
        File.WriteAllText(_passwordFile, "secret\n");
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private ImapOptions Valid() => new()
    {
        Host = "127.0.0.1",
        Port = 1143,
        Security = MailSecurity.None,
        UserName = "acme@ca.example.test",
        PasswordFile = _passwordFile,
    };

    [Test]
    public void Validate_Defaults_PassAndMatchTheDocumentedValues()
    {
        var options = Valid();

        Assert.That(() => options.Validate(), Throws.Nothing);
        Assert.That((options.Folder, options.PollInterval, options.UseIdle, options.ProcessedFolder),
            Is.EqualTo(("INBOX", TimeSpan.FromSeconds(30), true, (string?)null)));
    }

    [Test]
    public void Validate_NoCredentials_NamesThem()
    {
        var options = Valid();
        options.UserName = null;
        options.PasswordFile = null;

        Assert.That(() => options.Validate(), Throws.InvalidOperationException.With.Message.Contains("Imap:UserName"));
    }

    [Test]
    public void Validate_ProcessedFolderSameAsFolder_NamesIt()
    {
        var options = Valid();
        options.ProcessedFolder = "inbox";

        Assert.That(() => options.Validate(), Throws.InvalidOperationException.With.Message.Contains("Imap:ProcessedFolder"));
    }

    [TestCase(0)]
    [TestCase(3600)]
    public void Validate_BadPollInterval_NamesIt(int seconds)
    {
        var options = Valid();
        options.PollInterval = TimeSpan.FromSeconds(seconds);

        Assert.That(() => options.Validate(), Throws.InvalidOperationException.With.Message.Contains("Imap:PollInterval"));
    }

    [Test]
    public void Validate_EmptyFolder_NamesIt()
    {
        var options = Valid();
        options.Folder = " ";

        Assert.That(() => options.Validate(), Throws.InvalidOperationException.With.Message.Contains("Imap:Folder"));
    }

    [Test]
    public async Task FetchNewAsync_ServerDown_ThrowsImapUnavailable()
    {
        var options = Valid();
        options.Port = Transport.AiosmtpdServer.FreeLoopbackPort();
        await using var reader = new ImapMailboxReader(options, new FakeTimeProvider());

        Assert.That(async () => await reader.FetchNewAsync(ImapCursor.Start, 10, CancellationToken.None),
            Throws.InstanceOf<ImapUnavailableException>().With.Message.Contains("127.0.0.1"));
    }
}
