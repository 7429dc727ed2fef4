using Acme.Email.Incoming;
using Microsoft.Extensions.Logging;

namespace Acme.Server.Mail;

/// <summary>
/// Embedded default: <c>.eml</c> files dropped into <c>{incoming}/new/</c>, moved to <c>cur/</c> once
/// recorded; entries that are not plain message files are moved to <c>bad/</c> and logged.
/// </summary>
public sealed partial class DirectoryReplySource(IncomingDirectoryReader reader, TimeProvider time, ILogger<DirectoryReplySource> log)
    : IReplySource, IDisposable
{
    private readonly LoopWakeup _arrivals = new(time);
    private readonly Lock _lock = new();
    private IDisposable? _watcher;

    public Task<IReadOnlyList<IncomingMessage>> FetchAsync(int max, CancellationToken ct) =>
        reader.ReadNewAsync(max, (name, reason) => LogSetAside(log, name, reason), ct);

    public Task CommitAsync(IReadOnlyList<IncomingMessage> messages, CancellationToken ct)
    {
        foreach (var message in messages)
        {
            reader.MarkProcessed(message.SourceId);
        }

        return Task.CompletedTask;
    }

    /// <summary>Sleeps until a file arrives in <c>new/</c> (watched) or <paramref name="max"/> passes.</summary>
    public Task WaitAsync(TimeSpan max, CancellationToken ct)
    {
        lock (_lock)
        {
            _watcher ??= reader.Watch(() => _arrivals.Notify(time.GetUtcNow()));
        }

        return _arrivals.WaitAsync(max, ct);
    }

    /// <summary>A file arrived in <c>new/</c> since the last wait or call (only once the folder is watched).</summary>
    public bool TryTakeArrivals() => _arrivals.TryTake(time.GetUtcNow());

    public void Dispose()
    {
        lock (_lock)
        {
            _watcher?.Dispose();
            _watcher = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Incoming entry {Name} set aside in bad/: {Reason}")]
    private static partial void LogSetAside(ILogger logger, string name, string reason);
}
