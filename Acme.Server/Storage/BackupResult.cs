namespace Acme.Server.Storage;

/// <summary>The outcome of <see cref="DatabaseBackup.CopyToAsync"/>.</summary>
public enum BackupResult
{
    Written,

    /// <summary>The target file exists; nothing was written.</summary>
    TargetExists,

    /// <summary>The engine is PostgreSQL, which has its own tools (pg_dump).</summary>
    NotSupported,
}
