using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Acme.Server.Storage;

/// <summary>How storage failures that callers act on are recognised, whatever the engine.</summary>
public static class StorageErrors
{
    // SQLite extended result codes (sqlite.org/rescode.html): SQLITE_CONSTRAINT_UNIQUE and _PRIMARYKEY.
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    /// <summary>
    /// True when a write failed because a unique or primary key constraint already holds the value
    /// (another writer won a race); other constraint failures (foreign key, not null) are bugs and stay false.
    /// </summary>
    public static bool IsUniqueViolation(Exception e) => e switch
    {
        SqliteException s => s.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        DbException { SqlState: "23505" } => true, // PostgreSQL unique_violation (SQLSTATE class 23)
        _ => false,
    };
}
