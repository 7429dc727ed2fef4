namespace Acme.Email.Incoming;

/// <summary>
/// The embedded default reply source, a Maildir-like tree: writers put a message in <c>tmp/</c> and rename it
/// to <c>new/&lt;name&gt;.eml</c>; <see cref="ReadNewAsync(int, CancellationToken)"/> returns those files oldest first and
/// <see cref="MarkProcessed"/> moves one to <c>cur/</c>. Record a message before marking it processed.
/// </summary>
public sealed class IncomingDirectoryReader
{
    /// <summary>The SourceId prefix of messages read from files.</summary>
    public const string SourcePrefix = "file:";

    private readonly string _new;
    private readonly string _cur;
    private readonly string _tmp;

    // Set once the three directories were made; cleared when one turns out to be gone, so they are made again.
    private volatile bool _directoriesMade;

    /// <summary>Creates the reader; <c>new/</c>, <c>cur/</c> and <c>tmp/</c> are created on first use.</summary>
    /// <param name="root">The root directory.</param>
    public IncomingDirectoryReader(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = root;
        _new = Path.Combine(root, "new");
        _cur = Path.Combine(root, "cur");
        _tmp = Path.Combine(root, "tmp");
    }

    /// <summary>The root directory.</summary>
    public string Root { get; }

    /// <summary>The largest message read; a larger file is set aside. Replies to challenges are a few kilobytes.</summary>
    public const long MaxMessageBytes = 10 * 1024 * 1024;

    /// <summary>
    /// Calls <paramref name="arrived"/> whenever an <c>.eml</c> file appears in <c>new/</c> (created or renamed into
    /// it), so a reader can sleep until mail comes instead of polling. Dispose the result to stop watching.
    /// </summary>
    /// <param name="arrived">Called on a thread-pool thread; must be cheap and must not throw.</param>
    public IDisposable Watch(Action arrived)
    {
        ArgumentNullException.ThrowIfNull(arrived);
        EnsureDirectories();
        var watcher = new FileSystemWatcher(_new, "*.eml") { NotifyFilter = NotifyFilters.FileName, IncludeSubdirectories = false };
        watcher.Created += (_, _) => arrived();
        watcher.Renamed += (_, _) => arrived();
        // A lost event (buffer overflow) only means the next poll finds the file.
        watcher.Error += (_, _) => arrived();
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    /// <summary>Reads up to <paramref name="max"/> <c>.eml</c> files from <c>new/</c>, oldest (by write time, then name) first.</summary>
    /// <param name="max">The largest number of messages to return.</param>
    /// <param name="ct">Cancels the read.</param>
    /// <returns>The messages; SourceId is <c>file:&lt;name&gt;</c> and ReceivedAt the file's write time.</returns>
    public Task<IReadOnlyList<IncomingMessage>> ReadNewAsync(int max, CancellationToken ct) => ReadNewAsync(max, null, ct);

    /// <summary>
    /// As <see cref="ReadNewAsync(int, CancellationToken)"/>. Entries that are not plain message files
    /// (symbolic links, empty entries such as FIFOs, files over <see cref="MaxMessageBytes"/>, files that
    /// cannot be read) are moved to <c>bad/</c>, kept for the operator, and reported to
    /// <paramref name="setAside"/> with the reason: one bad entry never blocks the ones behind it.
    /// </summary>
    public async Task<IReadOnlyList<IncomingMessage>> ReadNewAsync(int max, Action<string, string>? setAside, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        EnsureDirectories();
        List<FileInfo> files;
        try
        {
            files = new DirectoryInfo(_new).EnumerateFiles("*.eml")
                .Where(f => !f.Name.StartsWith('.'))
                .OrderBy(f => f.LastWriteTimeUtc)
                .ThenBy(f => f.Name, StringComparer.Ordinal)
                .ToList();
        }
        catch (DirectoryNotFoundException)
        {
            // Removed under us: made again, and nothing can be waiting in it.
            _directoriesMade = false;
            EnsureDirectories();
            return [];
        }

        var messages = new List<IncomingMessage>(max);
        foreach (var file in files)
        {
            if (messages.Count == max)
            {
                break;
            }

            var problem = file.LinkTarget is not null ? "a symbolic link"
                : file.Length == 0 ? "empty, or not a regular file"
                : file.Length > MaxMessageBytes ? $"{file.Length} bytes, more than the {MaxMessageBytes} a reply may have"
                : null;
            byte[]? raw = null;
            try
            {
                raw = problem is null ? await File.ReadAllBytesAsync(file.FullName, ct).ConfigureAwait(false) : null;
            }
            catch (FileNotFoundException)
            {
                continue; // moved away by a concurrent reader
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problem = "unreadable: " + e.Message;
            }

            if (raw is null)
            {
                SetAside(file, problem!, setAside);
                continue;
            }

            messages.Add(new IncomingMessage(SourcePrefix + file.Name, raw, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero)));
        }

        return messages;
    }

    private void SetAside(FileInfo file, string reason, Action<string, string>? report)
    {
        var bad = Path.Combine(Root, "bad");
        Directory.CreateDirectory(bad);
        try
        {
            File.Move(file.FullName, Path.Combine(bad, $"{Guid.NewGuid():N}-{file.Name}"), overwrite: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason += $" (and it could not be moved to bad/: {e.Message})";
        }

        report?.Invoke(file.Name, reason);
    }

    /// <summary>
    /// Moves <c>new/&lt;name&gt;</c> to <c>cur/</c> by an atomic rename; if <c>cur/</c> already holds that name,
    /// both are kept by adding a numeric suffix. Returns false when the file is no longer in <c>new/</c>.
    /// </summary>
    /// <param name="sourceId">A SourceId returned by <see cref="ReadNewAsync(int, CancellationToken)"/>.</param>
    /// <returns>True when the file was moved.</returns>
    /// <exception cref="ArgumentException">The SourceId is not a <c>file:</c> id of a plain file name.</exception>
    public bool MarkProcessed(string sourceId)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        if (!sourceId.StartsWith(SourcePrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Not a file source id: '{sourceId}'.", nameof(sourceId));
        }

        var name = sourceId[SourcePrefix.Length..];
        if (name.Length == 0 || name != Path.GetFileName(name) || name is "." or ".." || name.Contains('/') || name.Contains('\\'))
        {
            throw new ArgumentException($"The source id must name a plain file: '{sourceId}'.", nameof(sourceId));
        }

        EnsureDirectories();
        var source = Path.Combine(_new, name);
        var stem = Path.GetFileNameWithoutExtension(name);
        var extension = Path.GetExtension(name);
        var remade = false;
        for (var n = 0; n < 10_000; n++)
        {
            if (!File.Exists(source))
            {
                return false;
            }

            var target = Path.Combine(_cur, n == 0 ? name : $"{stem}.{n}{extension}");
            if (File.Exists(target))
            {
                continue;
            }

            try
            {
                File.Move(source, target, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(target))
            {
                // Lost a race for this name: try the next suffix.
            }
            catch (FileNotFoundException)
            {
                return false;
            }
            catch (DirectoryNotFoundException) when (!remade && !Directory.Exists(_cur))
            {
                // cur/ was removed under us: make it again and try this name once more.
                remade = true;
                _directoriesMade = false;
                EnsureDirectories();
                n--;
            }
        }

        throw new IOException($"No free name in {_cur} for {name}.");
    }

    private void EnsureDirectories()
    {
        if (_directoriesMade)
        {
            return;
        }

        Directory.CreateDirectory(_new);
        Directory.CreateDirectory(_cur);
        Directory.CreateDirectory(_tmp);
        _directoriesMade = true;
    }
}
