using System.Data.Common;

namespace Acme.Server.Storage;

/// <summary>
/// The seam between the stores and a database engine: connections, write transactions, which failures
/// mean "run the write again", and the engine's own migration folder and start-up lock. The stores'
/// SQL is written once, in the subset both engines accept.
/// </summary>
public interface IStorageEngine
{
    StorageProvider Provider { get; }

    /// <summary>Opens a connection ready for use (pragmas, session settings).</summary>
    Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>
    /// Opens a connection for a write transaction, taken while the writer slot (<see cref="EnterWriterAsync"/>) is
    /// held. SQLite keeps one connection for the writes of this process: in WAL mode a connection empties its page
    /// cache whenever another one has committed since its last transaction, and the writer's are its own, so the
    /// pages each write touches stay cached for the next. PostgreSQL opens any connection.
    /// </summary>
    Task<DbConnection> OpenForWriteAsync(CancellationToken ct);

    /// <summary>
    /// Begins a write transaction in which a read-then-write decides as if it were alone: SQLite's
    /// BEGIN IMMEDIATE (one writer at a time), PostgreSQL's SERIALIZABLE (conflicts are retried).
    /// </summary>
    Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);

    /// <summary>
    /// Waits until this process may start a write transaction; the slot is held until disposed. SQLite
    /// takes one writer at a time anyway: queueing the writers of this process here hands the lock on as
    /// soon as it is free, instead of each waiter polling SQLite's busy handler with sleeps of 1 to 100 ms.
    /// PostgreSQL lets writers run side by side and returns at once.
    /// </summary>
    ValueTask<IDisposable?> EnterWriterAsync(CancellationToken ct);

    /// <summary>
    /// True when writes that queue for <see cref="EnterWriterAsync"/> should share one transaction and one commit
    /// (<see cref="WriteGroup"/>): SQLite, whose writers run one at a time anyway. PostgreSQL runs them side by side.
    /// </summary>
    bool CommitsQueuedWritesTogether { get; }

    /// <summary>True when the failed write can simply be run again (a serialization conflict or deadlock).</summary>
    bool IsRetryable(Exception e);

    /// <summary>The folder under <c>Storage/Migrations</c> with this engine's numbered SQL files.</summary>
    string MigrationFolder { get; }

    /// <summary>
    /// Holds the engine's migration lock on <paramref name="connection"/> until disposed, so instances that
    /// start together apply each migration once (PostgreSQL advisory lock; SQLite's file lock suffices).
    /// </summary>
    Task<IAsyncDisposable> LockForMigrationAsync(DbConnection connection, CancellationToken ct);
}
