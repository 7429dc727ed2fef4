using Acme.Email.Incoming;

namespace Acme.Tests.Email.Incoming;

[TestFixture]
public sealed class IncomingDirectoryReaderTests
{
    private static readonly DateTime Base = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private EmailTestDirectory _dir = null!;
    private IncomingDirectoryReader _reader = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = new EmailTestDirectory();
        _reader = new IncomingDirectoryReader(_dir.Path);
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private string Drop(string name, int minutes, string content = "Subject: x\r\n\r\nbody\r\n")
    {
        var newDir = Path.Combine(_dir.Path, "new");
        Directory.CreateDirectory(newDir);
        var path = Path.Combine(newDir, name);
        File.WriteAllText(path, content);
        File.SetLastWriteTimeUtc(path, Base.AddMinutes(minutes));
        return path;
    }

    [Test]
    public async Task ReadNewAsync_EmptyRoot_CreatesMaildirFolders()
    {
        var messages = await _reader.ReadNewAsync(10, CancellationToken.None);

        Assert.That(messages, Is.Empty);
        Assert.That(new[] { "new", "cur", "tmp" }.Select(d => Directory.Exists(Path.Combine(_dir.Path, d))), Has.All.True);
    }

    [Test]
    public async Task ReadNewAsync_FoldersRemovedAfterFirstUse_MadeAgain()
    {
        await _reader.ReadNewAsync(10, CancellationToken.None);
        Directory.Delete(_dir.Path, recursive: true);

        Assert.That(await _reader.ReadNewAsync(10, CancellationToken.None), Is.Empty);
        Assert.That(new[] { "new", "cur", "tmp" }.Select(d => Directory.Exists(Path.Combine(_dir.Path, d))), Has.All.True);
        Drop("a.eml", 1);
        Assert.That(await _reader.ReadNewAsync(10, CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task MarkProcessed_CurRemovedAfterFirstUse_MadeAgainAndMoved()
    {
        Drop("a.eml", 1);
        var message = (await _reader.ReadNewAsync(10, CancellationToken.None)).Single();
        Directory.Delete(Path.Combine(_dir.Path, "cur"));

        Assert.That(_reader.MarkProcessed(message.SourceId), Is.True);
        Assert.That(File.Exists(Path.Combine(_dir.Path, "cur", "a.eml")), Is.True);
    }

    [Test]
    public async Task ReadNewAsync_ReturnsOldestFirstBoundedAndIgnoresOtherFiles()
    {
        Drop("c.eml", 3);
        Drop("a.eml", 1, "A");
        Drop("b.eml", 2);
        Drop("z.eml", 0);
        Drop(".partial.eml", -5);
        Drop("note.txt", -4);

        var messages = await _reader.ReadNewAsync(3, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(messages.Select(m => m.SourceId), Is.EqualTo(new[] { "file:z.eml", "file:a.eml", "file:b.eml" }));
            Assert.That(messages[1].RawBytes, Is.EqualTo("A"u8.ToArray()));
            Assert.That(messages[1].ReceivedAt, Is.EqualTo(new DateTimeOffset(Base.AddMinutes(1))));
        });
    }

    [Test]
    public async Task MarkProcessed_MovesToCurAndIsNotReadAgain()
    {
        Drop("a.eml", 1);
        var first = await _reader.ReadNewAsync(10, CancellationToken.None);

        var moved = _reader.MarkProcessed(first[0].SourceId);
        var second = await _reader.ReadNewAsync(10, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(moved, Is.True);
            Assert.That(second, Is.Empty);
            Assert.That(File.Exists(Path.Combine(_dir.Path, "cur", "a.eml")), Is.True);
            Assert.That(_reader.MarkProcessed("file:a.eml"), Is.False, "second marking is a no-op");
        });
    }

    [Test]
    public void MarkProcessed_NameTakenInCur_KeepsBothWithSuffix()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "cur"));
        File.WriteAllText(Path.Combine(_dir.Path, "cur", "a.eml"), "old");
        File.WriteAllText(Path.Combine(_dir.Path, "cur", "a.1.eml"), "older");
        Drop("a.eml", 1, "new");

        var moved = _reader.MarkProcessed("file:a.eml");

        Assert.Multiple(() =>
        {
            Assert.That(moved, Is.True);
            Assert.That(File.ReadAllText(Path.Combine(_dir.Path, "cur", "a.eml")), Is.EqualTo("old"));
            Assert.That(File.ReadAllText(Path.Combine(_dir.Path, "cur", "a.1.eml")), Is.EqualTo("older"));
            Assert.That(File.ReadAllText(Path.Combine(_dir.Path, "cur", "a.2.eml")), Is.EqualTo("new"));
        });
    }

    [TestCase("file:../x.eml")]
    [TestCase("file:sub/x.eml")]
    [TestCase("file:")]
    [TestCase("file:..")]
    [TestCase("imap:1:2")]
    public void MarkProcessed_BadSourceId_Throws(string sourceId)
    {
        Assert.That(() => _reader.MarkProcessed(sourceId), Throws.ArgumentException);
    }
}
