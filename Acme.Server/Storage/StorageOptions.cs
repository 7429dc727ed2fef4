namespace Acme.Server.Storage;

/// <summary>The database engines the server runs on.</summary>
public enum StorageProvider
{
    /// <summary>One SQLite file: the embedded default, for one instance.</summary>
    Sqlite,

    /// <summary>PostgreSQL: for several instances sharing one database.</summary>
    PostgreSql,
}

/// <summary>Section <c>Storage</c>: which engine holds the server's state, and where.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>Sqlite</c> (default) or <c>PostgreSql</c>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Path of the SQLite file; relative paths are under <c>Acme:DataDirectory</c>. Default <c>acme.db</c>.</summary>
    public string DatabasePath { get; set; } = "acme.db";

    /// <summary>Milliseconds a writer waits for the database lock before failing.</summary>
    public int BusyTimeoutMilliseconds { get; set; } = 5000;

    /// <summary>
    /// PostgreSQL: a file holding the Npgsql connection string (with its password), so no secret sits in
    /// the configuration or the environment. Required when <see cref="Provider"/> is <c>PostgreSql</c>.
    /// </summary>
    public string? ConnectionStringFile { get; set; }

    /// <summary>How often one write is tried when the engine reports a serialization conflict (PostgreSQL). Default 8.</summary>
    public int WriteAttempts { get; set; } = 8;
}
