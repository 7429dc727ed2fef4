using Microsoft.Data.Sqlite;

namespace Acme.Server.Storage;

/// <summary>
/// Open SQLite connections kept with their prepared statements between leases (<see cref="SqliteSession"/>). A
/// lease takes an idle session or opens a new one; a session comes back only when clean, and at most
/// <c>maxIdle</c> wait idle: the others are closed.
/// </summary>
/// <param name="maxIdle">Idle sessions kept: <see cref="MaxIdle"/> for readers, one for the writer.</param>
internal sealed class SqliteSessionPool(Func<CancellationToken, Task<SqliteConnection>> open, int maxIdle) : IDisposable
{
    /// <summary>Idle sessions kept for reads: more than the server's concurrent readers under load.</summary>
    public const int MaxIdle = 32;

    private readonly Lock _gate = new();
    private readonly Stack<SqliteSession> _idle = new();
    private bool _disposed;

    /// <summary>Sessions waiting idle now (tests).</summary>
    public int IdleCount
    {
        get
        {
            lock (_gate)
            {
                return _idle.Count;
            }
        }
    }

    public async Task<PooledSqliteConnection> LeaseAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.TryPop(out var idle))
            {
                return new PooledSqliteConnection(idle, this);
            }
        }

        return new PooledSqliteConnection(new SqliteSession(await open(ct)), this);
    }

    /// <summary>Takes a session back at the end of a lease; one that is not clean, or not wanted, is closed.</summary>
    public void Return(SqliteSession session)
    {
        var clean = false;
        try
        {
            clean = session.IsClean;
        }
        catch (ObjectDisposedException)
        {
            // The native connection is gone: the session is closed below.
        }

        if (clean)
        {
            lock (_gate)
            {
                if (!_disposed && _idle.Count < maxIdle)
                {
                    _idle.Push(session);
                    return;
                }
            }
        }

        session.Dispose();
    }

    public void Dispose()
    {
        SqliteSession[] idle;
        lock (_gate)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }

        foreach (var session in idle)
        {
            session.Dispose();
        }
    }
}
