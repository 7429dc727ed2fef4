namespace Acme.Tests.Email;

/// <summary>A fresh directory under the system temp directory, deleted on dispose.</summary>
public sealed class EmailTestDirectory : IDisposable
{
    /// <summary>Creates the directory.</summary>
    public EmailTestDirectory()
    {
        Path = Directory.CreateTempSubdirectory("acme-email-test-").FullName;
    }

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
