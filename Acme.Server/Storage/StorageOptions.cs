namespace Acme.Server.Storage;

/// <summary>Section <c>Storage</c>: where the SQLite database lives.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Path of the SQLite file; relative paths are under <c>Acme:DataDirectory</c>. Default <c>acme.db</c>.</summary>
    public string DatabasePath { get; set; } = "acme.db";

    /// <summary>Milliseconds a writer waits for the database lock before failing.</summary>
    public int BusyTimeoutMilliseconds { get; set; } = 5000;
}
