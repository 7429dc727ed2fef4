using System.Globalization;
using System.Text;
using MimeKit;

namespace Acme.Email.Transport;

/// <summary>
/// The embedded default transport: writes each message, byte-exact as it would be sent (CRLF line ends),
/// to <c>&lt;directory&gt;/&lt;timestamp&gt;-&lt;Message-ID&gt;.eml</c> through a temporary file and an atomic rename.
/// </summary>
public sealed class FileMailTransport : IChallengeMailTransport
{
    private readonly string _directory;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the transport; the directory is created on first use.</summary>
    /// <param name="directory">Where the .eml files go.</param>
    /// <param name="timeProvider">The clock for the file name's timestamp.</param>
    public FileMailTransport(string directory, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _directory = directory;
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public async Task<MailSendResult> SendAsync(MimeMessage message, CancellationToken ct)
    {
        try
        {
            await SaveAsync(message, ct).ConfigureAwait(false);
            return MailSendResult.Delivered;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return MailSendResult.RetryLater(ex.Message);
        }
    }

    /// <summary>Writes the message and returns the path of the new file.</summary>
    /// <param name="message">The (signed) message.</param>
    /// <param name="ct">Cancels the write.</param>
    /// <returns>The full path of the .eml file.</returns>
    public async Task<string> SaveAsync(MimeMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var stamp = _timeProvider.GetUtcNow().ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var baseName = $"{stamp}-{Sanitize(message.MessageId)}";
        var temp = Path.Combine(_directory, $".tmp-{Guid.NewGuid():N}");
        var format = WireFormat.For(message);
        try
        {
            await using (var stream = CreateTemporary(temp))
            {
                await message.WriteToAsync(format, stream, ct).ConfigureAwait(false);
                await stream.FlushAsync(ct).ConfigureAwait(false);
            }

            for (var n = 0; ; n++)
            {
                var target = Path.Combine(_directory, n == 0 ? $"{baseName}.eml" : $"{baseName}-{n}.eml");
                try
                {
                    File.Move(temp, target, overwrite: false);
                    return target;
                }
                catch (IOException) when (File.Exists(target) && n < 100)
                {
                }
            }
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private FileStream CreateTemporary(string temp)
    {
        try
        {
            return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (DirectoryNotFoundException)
        {
            // Not made yet, or removed under us: made here, so a save costs no mkdir while the folder exists.
            Directory.CreateDirectory(_directory);
            return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
    }

    private static string Sanitize(string? messageId)
    {
        if (string.IsNullOrEmpty(messageId))
        {
            return "no-message-id";
        }

        var builder = new StringBuilder(Math.Min(messageId.Length, 100));
        foreach (var c in messageId.Take(100))
        {
            builder.Append(c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' or '_' or '@' ? c : '_');
        }

        return builder.ToString();
    }
}
