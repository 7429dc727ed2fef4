using System.Diagnostics;
using Acme.Email.Incoming;

namespace Acme.Tests.Email.Incoming;

/// <summary>
/// Issue 9 item 1: entries in new/ that are not plain message files (a FIFO that would block the
/// read forever, a symbolic link, an oversized file) are set aside in bad/ and the messages behind
/// them are still read.
/// </summary>
[TestFixture]
public sealed class IncomingDirectoryPoisonTests
{
    private EmailTestDirectory _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new EmailTestDirectory();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private static int MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]))!;
        process.WaitForExit();
        return process.ExitCode;
    }

    [Test]
    public async Task PoisonEntries_SetAside_MessagesBehindThemRead()
    {
        var newDir = Path.Combine(_dir.Path, "new");
        Directory.CreateDirectory(newDir);
        var stamp = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.That(MakeFifo(Path.Combine(newDir, "1-fifo.eml")), Is.Zero, "mkfifo");
        File.CreateSymbolicLink(Path.Combine(newDir, "2-link.eml"), "/dev/zero");
        await File.WriteAllBytesAsync(Path.Combine(newDir, "3-huge.eml"), new byte[IncomingDirectoryReader.MaxMessageBytes + 1]);
        await File.WriteAllTextAsync(Path.Combine(newDir, "4-good.eml"), "Subject: x\r\n\r\nbody\r\n");
        foreach (var (name, minutes) in new[] { ("1-fifo.eml", 1), ("3-huge.eml", 3), ("4-good.eml", 4) })
        {
            File.SetLastWriteTimeUtc(Path.Combine(newDir, name), stamp.AddMinutes(minutes));
        }

        var setAside = new List<string>();
        var read = await new IncomingDirectoryReader(_dir.Path).ReadNewAsync(10, (name, reason) => setAside.Add($"{name}: {reason}"), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(read.Select(m => m.SourceId), Is.EqualTo(new[] { "file:4-good.eml" }));
        Assert.That(setAside, Has.Count.EqualTo(3));
        Assert.That(setAside, Has.Some.StartsWith("1-fifo.eml: empty, or not a regular file"));
        Assert.That(setAside, Has.Some.StartsWith("2-link.eml: a symbolic link"));
        Assert.That(setAside, Has.Some.StartsWith("3-huge.eml: 10485761 bytes"));
        Assert.That(Directory.GetFileSystemEntries(Path.Combine(_dir.Path, "bad")), Has.Length.EqualTo(3), "kept for the operator");
        Assert.That(Directory.GetFileSystemEntries(newDir), Is.EqualTo(new[] { Path.Combine(newDir, "4-good.eml") }));
    }
}
