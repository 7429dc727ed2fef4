using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using MimeKit;

namespace Acme.Bench.Mail;

/// <summary>
/// Watches the server's outgoing folder (file transport: each challenge mail is renamed into place as
/// <c>*.eml</c>) and hands each new mail to the worker expecting mail for its To address. Woken by
/// inotify (FileSystemWatcher), with a rescan every 500 ms in case events were lost. A mail read as a challenge
/// mail is then moved into the subfolder <c>read</c>, so the rescan stays short however many a run stores. Moved,
/// not deleted: on ext4, every file the server creates next skips the inodes deleted in the last seconds, one by
/// one (<c>recently_deleted</c>, 1 to 5 % of the server's samples in perf), and a deletion per issuance added to
/// that a cost of the benchmark's own churn, not of the server (docs/performance.md).
/// </summary>
public sealed class ChallengeMailWatcher : IAsyncDisposable
{
    private const string SubjectPrefix = "ACME: ";
    private static readonly TimeSpan RescanInterval = TimeSpan.FromMilliseconds(500);
    private readonly string _directory;
    private readonly string _read;
    private readonly Channel<string> _paths = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ChallengeMail>> _waiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stop = new();
    private readonly FileSystemWatcher _watcher;
    private readonly Task _reader;
    private readonly Task _rescanner;
    private long _unclaimed;
    private long _unreadable;

    /// <summary>Starts watching <paramref name="directory"/> (created if missing).</summary>
    public ChallengeMailWatcher(string directory)
    {
        _directory = directory;
        _read = Path.Combine(directory, "read");
        Directory.CreateDirectory(_read);
        _watcher = new FileSystemWatcher(directory, "*.eml") { NotifyFilter = NotifyFilters.FileName, InternalBufferSize = 64 * 1024 };
        _watcher.Created += (_, e) => _paths.Writer.TryWrite(e.FullPath);
        _watcher.Renamed += (_, e) => _paths.Writer.TryWrite(e.FullPath);
        _watcher.EnableRaisingEvents = true;
        _reader = Task.Run(() => ReadAsync(_stop.Token));
        _rescanner = Task.Run(() => RescanAsync(_stop.Token));
    }

    /// <summary>Mails no worker waited for (e.g. left over from a timed-out issuance).</summary>
    public long Unclaimed => Interlocked.Read(ref _unclaimed);

    /// <summary>Files that could not be read as a challenge mail.</summary>
    public long Unreadable => Interlocked.Read(ref _unreadable);

    /// <summary>
    /// Registers interest in the next mail to <paramref name="mailbox"/>; call it before the request that makes the
    /// server send it. Dispose the result to give up waiting.
    /// </summary>
    public MailExpectation Expect(string mailbox)
    {
        var waiter = new TaskCompletionSource<ChallengeMail>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_waiters.TryAdd(mailbox, waiter))
        {
            throw new InvalidOperationException($"already waiting for mail to {mailbox}");
        }

        return new MailExpectation(waiter.Task, () => _waiters.TryRemove(new KeyValuePair<string, TaskCompletionSource<ChallengeMail>>(mailbox, waiter)));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _watcher.EnableRaisingEvents = false;
        _watcher.Dispose();
        await _stop.CancelAsync();
        _paths.Writer.TryComplete();
        await Task.WhenAll(_reader, _rescanner).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task ReadAsync(CancellationToken ct)
    {
        await foreach (var path in _paths.Reader.ReadAllAsync(ct))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.') || !_seen.TryAdd(name, 0))
            {
                continue;
            }

            var mail = await TryParseAsync(path, ct);
            if (mail is null)
            {
                Interlocked.Increment(ref _unreadable);
            }
            else
            {
                if (_waiters.TryRemove(mail.To, out var waiter))
                {
                    waiter.TrySetResult(mail);
                }
                else
                {
                    Interlocked.Increment(ref _unclaimed);
                }

                TryMoveAside(path);
            }
        }
    }

    private async Task RescanAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(RescanInterval);
        while (await timer.WaitForNextTickAsync(ct))
        {
            foreach (var path in Directory.EnumerateFiles(_directory, "*.eml"))
            {
                if (!_seen.ContainsKey(Path.GetFileName(path)))
                {
                    _paths.Writer.TryWrite(path);
                }
            }
        }
    }

    private void TryMoveAside(string path)
    {
        try
        {
            File.Move(path, Path.Combine(_read, Path.GetFileName(path)), overwrite: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in place: the rescan skips it (seen), nothing else reads it.
        }
    }

    private static async Task<ChallengeMail?> TryParseAsync(string path, CancellationToken ct)
    {
        try
        {
            await using var stream = File.OpenRead(path);
            var message = await MimeMessage.LoadAsync(stream, ct);
            var to = message.To.Mailboxes.FirstOrDefault()?.Address;
            var from = message.From.Mailboxes.FirstOrDefault()?.Address;
            var subject = message.Subject;
            if (to is null || from is null || message.MessageId is null || subject is null || !subject.StartsWith(SubjectPrefix, StringComparison.Ordinal))
            {
                return null;
            }

            // RFC 8823 §3.1 item 1: "ACME: " followed by token-part1.
            return new ChallengeMail(to, from, subject[SubjectPrefix.Length..].Trim(), message.MessageId, Stopwatch.GetTimestamp());
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
