namespace Acme.Server.Hosting;

/// <summary>Owner-only directories and files for keys and state.</summary>
public static class DataDirectory
{
    public static void CreatePrivate(string path)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Creates the file with mode 0600 before any secret byte is written.</summary>
    public static void WritePrivateFile(string path, string content)
    {
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            using var writer = new StreamWriter(stream);
            writer.Write(content);
        }
    }
}
