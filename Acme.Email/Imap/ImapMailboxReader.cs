using Acme.Email.Incoming;
using Acme.Email.Transport;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;

namespace Acme.Email.Imap;

/// <summary>
/// Reads challenge responses from one IMAP folder with MailKit, keeping one connection open.
/// Intended use for exactly-once processing across crashes: <see cref="FetchNewAsync"/> → record the
/// messages (keyed by <see cref="IncomingMessage.SourceId"/>) and the new cursor in one transaction →
/// <see cref="MarkProcessedAsync(uint, IEnumerable{uint}, CancellationToken)"/>. A crash before the
/// transaction re-delivers the same SourceIds; one after it only repeats the idempotent marking.
/// Server errors drop the connection (the next call reconnects) and surface as <see cref="ImapUnavailableException"/>.
/// Calls are serialized; the instance is safe to share.
/// </summary>
public sealed class ImapMailboxReader : IAsyncDisposable
{
    private static readonly TimeSpan MaxIdle = TimeSpan.FromMinutes(25);
    private readonly ImapOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ImapClient? _client;
    private IMailFolder? _folder;
    private IMailFolder? _processedFolder;
    private int _countAtLastFetch = -1;
    private uint _lastFetchedUidValidity;

    /// <summary>Validates and keeps the options; no connection is made until the first call.</summary>
    /// <param name="options">The IMAP settings.</param>
    /// <param name="timeProvider">The clock for IDLE rounds and missing INTERNALDATEs.</param>
    /// <exception cref="InvalidOperationException">A setting is invalid.</exception>
    public ImapMailboxReader(ImapOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _options = options;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Downloads the raw bytes of up to <paramref name="max"/> messages with a UID above the cursor. When
    /// UIDVALIDITY changed, reading restarts at the folder's start (skipping \Seen mail when processed mail is flagged).
    /// </summary>
    /// <param name="cursor">The persisted cursor (<see cref="ImapCursor.Start"/> the first time).</param>
    /// <param name="max">The largest number of messages to return.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The messages and the cursor to persist after recording them.</returns>
    /// <exception cref="ImapUnavailableException">The server could not be used.</exception>
    public Task<ImapBatch> FetchNewAsync(ImapCursor cursor, int max, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return RunAsync(async (client, folder) =>
        {
            // A reused session sees mail delivered since the last command only after the server has
            // announced it; NOOP makes it do so before the search.
            await client.NoOpAsync(ct).ConfigureAwait(false);
            var validity = folder.UidValidity;
            var effective = cursor.ForUidValidity(validity);
            var reset = cursor.UidValidity != 0 && cursor.UidValidity != validity;
            if (effective.LastUid == uint.MaxValue)
            {
                return new ImapBatch([], effective, reset, false);
            }

            SearchQuery query = SearchQuery.Uids(new UniqueIdRange(new UniqueId(validity, effective.LastUid + 1), UniqueId.MaxValue));
            if (effective.LastUid == 0 && _options.ProcessedFolder is null)
            {
                query = query.And(SearchQuery.NotSeen); // processed mail was flagged \Seen before the reset
            }

            var found = await folder.SearchAsync(query, ct).ConfigureAwait(false);
            var (uids, more) = ImapUidSelection.Select(found.Select(u => u.Id), effective.LastUid, max);
            var ids = uids.Select(u => new UniqueId(validity, u)).ToList();
            var dates = new Dictionary<uint, DateTimeOffset>();
            if (ids.Count > 0)
            {
                var summaries = await folder.FetchAsync(ids, MessageSummaryItems.UniqueId | MessageSummaryItems.InternalDate, ct).ConfigureAwait(false);
                foreach (var summary in summaries)
                {
                    if (summary.InternalDate is { } date)
                    {
                        dates[summary.UniqueId.Id] = date;
                    }
                }
            }

            var messages = new List<IncomingMessage>(ids.Count);
            var returned = new List<uint>(ids.Count);
            foreach (var id in ids)
            {
                byte[] raw;
                try
                {
                    // Raw bytes (BODY.PEEK[]), never a re-serialized MimeMessage: DKIM is verified over them.
                    using var stream = await folder.GetStreamAsync(id, ct).ConfigureAwait(false);
                    using var buffer = new MemoryStream();
                    await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
                    raw = buffer.ToArray();
                }
                catch (MessageNotFoundException)
                {
                    continue; // expunged since the search
                }

                var received = dates.TryGetValue(id.Id, out var d) ? d : _timeProvider.GetUtcNow();
                messages.Add(new IncomingMessage($"imap:{validity}:{id.Id}", raw, received));
                returned.Add(id.Id);
            }

            _countAtLastFetch = folder.Count;
            _lastFetchedUidValidity = validity;
            var next = uids.Count > 0 ? new ImapCursor(validity, uids[^1]) : effective;
            return new ImapBatch(messages, next, reset, more) { Uids = returned };
        }, ct);
    }

    /// <summary>
    /// Flags the messages \Seen, or moves them to <see cref="ImapOptions.ProcessedFolder"/>. Does nothing and
    /// returns false when the folder's UIDVALIDITY is no longer <paramref name="uidValidity"/>.
    /// </summary>
    /// <param name="uidValidity">The UIDVALIDITY the UIDs belong to (from the batch's cursor or SourceId).</param>
    /// <param name="uids">The UIDs to mark.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>True when marked (or nothing to mark).</returns>
    /// <exception cref="ImapUnavailableException">The server could not be used.</exception>
    public Task<bool> MarkProcessedAsync(uint uidValidity, IEnumerable<uint> uids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(uids);
        var list = uids.Where(u => u > 0).Distinct().ToList();
        return RunAsync(async (client, folder) =>
        {
            if (folder.UidValidity != uidValidity)
            {
                return false;
            }

            if (list.Count == 0)
            {
                return true;
            }

            var ids = list.Select(u => new UniqueId(uidValidity, u)).ToList();
            if (_options.ProcessedFolder is { } name)
            {
                _processedFolder ??= await ImapFolders.GetOrCreateAsync(client, name, ct).ConfigureAwait(false);
                var destination = _processedFolder;
                await folder.MoveToAsync(ids, destination, ct).ConfigureAwait(false);
            }
            else
            {
                await folder.AddFlagsAsync(ids, MessageFlags.Seen, true, ct).ConfigureAwait(false);
            }

            return true;
        }, ct);
    }

    /// <summary>Marks UIDs of the most recent fetch's UIDVALIDITY; see <see cref="MarkProcessedAsync(uint, IEnumerable{uint}, CancellationToken)"/>.</summary>
    /// <param name="uids">The UIDs to mark.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>A task that completes when marked.</returns>
    /// <exception cref="ImapUnavailableException">The server could not be used, or the folder's UIDVALIDITY changed.</exception>
    public async Task MarkProcessedAsync(IEnumerable<uint> uids, CancellationToken ct)
    {
        if (_lastFetchedUidValidity == 0)
        {
            throw new InvalidOperationException("Call FetchNewAsync before marking UIDs, or pass the UIDVALIDITY explicitly.");
        }

        if (!await MarkProcessedAsync(_lastFetchedUidValidity, uids, ct).ConfigureAwait(false))
        {
            throw new ImapUnavailableException("The folder's UIDVALIDITY changed since the fetch; the UIDs were not marked.");
        }
    }

    /// <summary>
    /// Waits up to <paramref name="max"/> for new mail: IMAP IDLE when enabled and offered, else one NOOP
    /// (the caller then sleeps for <see cref="ImapOptions.PollInterval"/>). The result is a hint; fetch after every wait.
    /// </summary>
    /// <param name="max">The longest wait (at most 25 minutes are used, RFC 2177).</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <returns>True when the folder's message count changed.</returns>
    /// <exception cref="ImapUnavailableException">The server could not be used.</exception>
    public Task<bool> WaitForNewMailAsync(TimeSpan max, CancellationToken ct) =>
        RunAsync(async (client, folder) =>
        {
            if (_countAtLastFetch >= 0 && folder.Count != _countAtLastFetch)
            {
                return true;
            }

            var changed = false;
            var wait = max <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : max > MaxIdle ? MaxIdle : max;
            using var done = new CancellationTokenSource(wait, _timeProvider);
            void OnCountChanged(object? sender, EventArgs e)
            {
                changed = true;
                done.Cancel();
            }

            folder.CountChanged += OnCountChanged;
            try
            {
                if (_options.UseIdle && client.Capabilities.HasFlag(ImapCapabilities.Idle))
                {
                    await client.IdleAsync(done.Token, ct).ConfigureAwait(false);
                }
                else
                {
                    await client.NoOpAsync(ct).ConfigureAwait(false);
                }
            }
            finally
            {
                folder.CountChanged -= OnCountChanged;
            }

            return changed;
        }, ct);

    /// <summary>Logs out and closes the connection.</summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_client is { IsConnected: true } client)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _timeProvider);
                    await client.DisconnectAsync(true, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ImapFolders.IsServerError(ex))
                {
                }
            }

            Drop();
        }
        finally
        {
            _gate.Release();
        }

        _gate.Dispose();
    }

    private async Task<T> RunAsync<T>(Func<ImapClient, IMailFolder, Task<T>> operation, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var (client, folder) = await EnsureOpenAsync(ct).ConfigureAwait(false);
            return await operation(client, folder).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Drop(); // the protocol state after an interrupted command is unknown
            throw;
        }
        catch (Exception ex) when (ImapFolders.IsServerError(ex))
        {
            Drop();
            throw new ImapUnavailableException($"IMAP {_options.Host}:{_options.Port} unavailable: {ex.Message}", ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(ImapClient, IMailFolder)> EnsureOpenAsync(CancellationToken ct)
    {
        if (_client is { IsConnected: true, IsAuthenticated: true } open && _folder is { IsOpen: true } openFolder)
        {
            return (open, openFolder);
        }

        Drop();
        var client = new ImapClient { Timeout = (int)_options.Timeout.TotalMilliseconds };
        _client = client;
        MailConnection.ApplyCertificatePolicy(client, _options.Host, _options.AcceptInvalidCertificatesForLoopback);
        await client.ConnectAsync(_options.Host, _options.Port, MailConnection.ToSocketOptions(_options.Security), ct).ConfigureAwait(false);
        var password = await MailConnection.ReadPasswordAsync(_options.PasswordFile!, ct).ConfigureAwait(false);
        await client.AuthenticateAsync(_options.UserName!, password, ct).ConfigureAwait(false);
        var folder = string.Equals(_options.Folder, "INBOX", StringComparison.OrdinalIgnoreCase)
            ? client.Inbox
            : await client.GetFolderAsync(_options.Folder, ct).ConfigureAwait(false);
        await folder.OpenAsync(FolderAccess.ReadWrite, ct).ConfigureAwait(false);
        _folder = folder;
        return (client, folder);
    }

    private void Drop()
    {
        _client?.Dispose();
        _client = null;
        _folder = null;
        _processedFolder = null;
        _countAtLastFetch = -1;
    }
}
