using Acme.Email.Imap;
using Acme.Email.Incoming;

namespace Acme.Server.Mail;

/// <summary>Embedded default: <c>.eml</c> files dropped into <c>{incoming}/new/</c>, moved to <c>cur/</c> once recorded.</summary>
public sealed class DirectoryReplySource(IncomingDirectoryReader reader, TimeProvider time) : IReplySource
{
    public Task<IReadOnlyList<IncomingMessage>> FetchAsync(int max, CancellationToken ct) => reader.ReadNewAsync(max, ct);

    public Task CommitAsync(IReadOnlyList<IncomingMessage> messages, CancellationToken ct)
    {
        foreach (var message in messages)
        {
            reader.MarkProcessed(message.SourceId);
        }

        return Task.CompletedTask;
    }

    public Task WaitAsync(TimeSpan max, CancellationToken ct) => Task.Delay(max, time, ct);
}
