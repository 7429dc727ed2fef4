using System.Data.Common;

namespace Acme.Server.Storage;

/// <summary>One write waiting in a <see cref="WriteGroup"/>: its callback, and how its caller hears the outcome.</summary>
internal interface IGroupedWrite
{
    /// <summary>Completes once the write is committed, undone or failed.</summary>
    Task Outcome { get; }

    /// <summary>When the caller has given up, tells it so and returns true; the write is then not run.</summary>
    bool CancelIfRequested();

    /// <summary>Runs the callback in the shared transaction, in its caller's execution context; true to keep it.</summary>
    Task<bool> RunAsync(DbConnection connection, DbTransaction tx);

    /// <summary>The shared transaction committed with this write in it.</summary>
    void Committed();

    /// <summary>The write was undone: with <paramref name="failure"/> null it asked for that, else it failed.</summary>
    void Undone(Exception? failure);

    /// <summary>The shared transaction was lost: runs the write again in a transaction of its own.</summary>
    Task RunAloneAsync();
}

/// <inheritdoc cref="IGroupedWrite"/>
internal sealed class GroupedWrite<T>(
    Func<DbConnection, DbTransaction, Task<(bool Commit, T Result)>> write, Func<Task<T>> alone, CancellationToken ct) : IGroupedWrite
{
    private readonly TaskCompletionSource<T> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Log scopes, traces and other async-local state of the request stay with its own write.
    private readonly ExecutionContext? _context = ExecutionContext.Capture();
    private T _result = default!;

    public Task<T> Result => _outcome.Task;

    Task IGroupedWrite.Outcome => _outcome.Task;

    public bool CancelIfRequested() => ct.IsCancellationRequested && _outcome.TrySetCanceled(ct);

    public async Task<bool> RunAsync(DbConnection connection, DbTransaction tx)
    {
        Task<(bool Commit, T Result)>? started = null;
        if (_context is null)
        {
            started = write(connection, tx);
        }
        else
        {
            ExecutionContext.Run(_context, _ => started = write(connection, tx), null);
        }

        var (commit, result) = await started!;
        _result = result;
        return commit;
    }

    public void Committed() => _outcome.TrySetResult(_result);

    public void Undone(Exception? failure)
    {
        if (failure is null)
        {
            _outcome.TrySetResult(_result);
        }
        else
        {
            _outcome.TrySetException(failure);
        }
    }

    public async Task RunAloneAsync()
    {
        try
        {
            _outcome.TrySetResult(await alone());
        }
        catch (Exception e)
        {
            _outcome.TrySetException(e);
        }
    }
}
