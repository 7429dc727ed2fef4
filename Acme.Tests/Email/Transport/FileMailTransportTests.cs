using Acme.Email.Challenges;
using Acme.Email.Transport;
using Acme.Tests.Email.Challenges;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Acme.Tests.Email.Transport;

[TestFixture]
public sealed class FileMailTransportTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 6, 7, 89, TimeSpan.Zero);
    private EmailTestDirectory _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new EmailTestDirectory();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private static MimeMessage Challenge() =>
        new ChallengeEmailBuilder().Build(new ChallengeMailRequest(
            "acme+x1@ca.example.test", "alice@example.test", "LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6v", "ca.example.test", Now));

    [Test]
    public async Task SendAsync_MissingDirectory_CreatedAndFileIsByteExact()
    {
        var outbox = Path.Combine(_dir.Path, "a", "outbox");
        var message = Challenge();

        var result = await new FileMailTransport(outbox, new FakeTimeProvider(Now)).SendAsync(message, CancellationToken.None);
        var files = Directory.GetFiles(outbox);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(MailSendResult.Delivered));
            Assert.That(files, Has.Length.EqualTo(1));
            Assert.That(Path.GetFileName(files[0]), Is.EqualTo($"20250304T050607089Z-{message.MessageId}.eml"));
            Assert.That(File.ReadAllBytes(files[0]), Is.EqualTo(ChallengeEmailBuilderTests.Serialize(message)));
        });
    }

    [Test]
    public async Task SaveAsync_SameMessageTwiceAtSameTime_KeepsBoth()
    {
        var transport = new FileMailTransport(_dir.Path, new FakeTimeProvider(Now));
        var message = Challenge();

        var first = await transport.SaveAsync(message, CancellationToken.None);
        var second = await transport.SaveAsync(message, CancellationToken.None);

        Assert.That(second, Is.Not.EqualTo(first));
        Assert.That(Directory.GetFiles(_dir.Path), Has.Length.EqualTo(2));
    }

    [Test]
    public async Task SaveAsync_DirectoryRemovedAfterFirstSave_MadeAgain()
    {
        var outbox = Path.Combine(_dir.Path, "outbox");
        var transport = new FileMailTransport(outbox, new FakeTimeProvider(Now));
        await transport.SaveAsync(Challenge(), CancellationToken.None);
        Directory.Delete(outbox, recursive: true);

        var path = await transport.SaveAsync(Challenge(), CancellationToken.None);

        Assert.That(File.Exists(path), Is.True);
    }

    [Test]
    public async Task SaveAsync_HostileMessageId_StaysInsideTheDirectory()
    {
        var message = Challenge();
        message.MessageId = "../../etc/passwd@x";

        var path = await new FileMailTransport(_dir.Path, new FakeTimeProvider(Now)).SaveAsync(message, CancellationToken.None);

        Assert.That(Path.GetDirectoryName(path), Is.EqualTo(_dir.Path));
    }

    [Test]
    public async Task SendAsync_DirectoryIsAFile_RetryLater()
    {
        var blocker = Path.Combine(_dir.Path, "blocker");
        await File.WriteAllTextAsync(blocker, "x");

        var result = await new FileMailTransport(blocker, new FakeTimeProvider(Now)).SendAsync(Challenge(), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(MailSendOutcome.RetryLater));
    }
}
