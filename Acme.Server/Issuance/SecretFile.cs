namespace Acme.Server.Issuance;

/// <summary>Reads a secret (a passphrase or PIN) from a file, never from the configuration itself.</summary>
internal static class SecretFile
{
    /// <summary>The first line of <paramref name="path"/>, without its line end.</summary>
    /// <exception cref="InvalidOperationException">The file is unreadable or the line empty; the message starts with <paramref name="setting"/>.</exception>
    public static string ReadFirstLine(string path, string setting)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{setting}: cannot read '{path}': {ex.Message}", ex);
        }

        var line = text.Split('\n')[0].TrimEnd('\r');
        return line.Length > 0 ? line : throw new InvalidOperationException($"{setting}: the first line of '{path}' is empty.");
    }
}
