namespace Acme.Email.Incoming;

/// <summary>
/// The embedded default reply source, a Maildir-like tree: writers put a message in <c>tmp/</c> and rename it
/// to <c>new/&lt;name&gt;.eml</c>; <see cref="ReadNewAsync"/> returns those files oldest first and
/// <see cref="MarkProcessed"/> moves one to <c>cur/</c>. Record a message before marking it processed.
/// </summary>
public sealed class IncomingDirectoryReader
{
    /// <summary>The SourceId prefix of messages read from files.</summary>
    public const string SourcePrefix = "file:";

    private readonly string _new;
    private readonly string _cur;
    private readonly string _tmp;

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

    /// <summary>Reads up to <paramref name="max"/> <c>.eml</c> files from <c>new/</c>, oldest (by write time, then name) first.</summary>
    /// <param name="max">The largest number of messages to return.</param>
    /// <param name="ct">Cancels the read.</param>
    /// <returns>The messages; SourceId is <c>file:&lt;name&gt;</c> and ReceivedAt the file's write time.</returns>
    public async Task<IReadOnlyList<IncomingMessage>> ReadNewAsync(int max, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        EnsureDirectories();
        var files = new DirectoryInfo(_new).EnumerateFiles("*.eml")
            .Where(f => !f.Name.StartsWith('.'))
            .OrderBy(f => f.LastWriteTimeUtc)
            .ThenBy(f => f.Name, StringComparer.Ordinal)
            .Take(max)
            .ToList();
        var messages = new List<IncomingMessage>(files.Count);
        foreach (var file in files)
        {
            byte[] raw;
            try
            {
                raw = await File.ReadAllBytesAsync(file.FullName, ct).ConfigureAwait(false);
            }
            catch (FileNotFoundException)
            {
                continue; // moved away by a concurrent reader
            }

            messages.Add(new IncomingMessage(SourcePrefix + file.Name, raw, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero)));
        }

        return messages;
    }

    /// <summary>
    /// Moves <c>new/&lt;name&gt;</c> to <c>cur/</c> by an atomic rename; if <c>cur/</c> already holds that name,
    /// both are kept by adding a numeric suffix. Returns false when the file is no longer in <c>new/</c>.
    /// </summary>
    /// <param name="sourceId">A SourceId returned by <see cref="ReadNewAsync"/>.</param>
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
        }

        throw new IOException($"No free name in {_cur} for {name}.");
    }

    private void EnsureDirectories()
    {
        Directory.CreateDirectory(_new);
        Directory.CreateDirectory(_cur);
        Directory.CreateDirectory(_tmp);
    }
}
