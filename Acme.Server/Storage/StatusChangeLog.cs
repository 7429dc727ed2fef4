using System.Collections.Concurrent;
using System.Data.Common;

namespace Acme.Server.Storage;

/// <summary>A status change a store wrote: the resource kind (<c>order</c>, <c>challenge_mail</c>…) and the statuses as stored; <c>none</c> as From means the row was created.</summary>
public readonly record struct StatusChange(string Resource, string From, string To)
{
    /// <summary>The From of a row that did not exist before.</summary>
    public const string Created = "none";
}

/// <summary>Told of each status change once the transaction that wrote it has committed.</summary>
public interface IStatusChangeObserver
{
    void OnCommitted(StatusChange change);
}

/// <summary>
/// The status changes written in each open write transaction, handed to the observers once
/// <see cref="Database"/> commits it; an attempt rolled back or run again (a serialization conflict) is
/// forgotten, so observers see exactly what the database kept. One per application, like the stores.
/// </summary>
public sealed class StatusChangeLog(IEnumerable<IStatusChangeObserver> observers)
{
    private readonly IStatusChangeObserver[] _observers = [.. observers];
    private readonly ConcurrentDictionary<DbTransaction, List<StatusChange>> _open = new(ReferenceEqualityComparer.Instance);

    /// <summary>A log nobody observes (stores built without the application's services).</summary>
    public static StatusChangeLog Unobserved() => new([]);

    internal void Note(DbTransaction tx, StatusChange change)
    {
        if (_observers.Length > 0)
        {
            // One transaction runs on one connection, one statement at a time: its list needs no lock.
            _open.GetOrAdd(tx, static _ => []).Add(change);
        }
    }

    /// <summary>How many changes the transaction has noted so far: a savepoint's start (<see cref="WriteGroup"/>).</summary>
    internal int Mark(DbTransaction tx) => _open.TryGetValue(tx, out var changes) ? changes.Count : 0;

    /// <summary>Forgets the changes noted since <paramref name="mark"/>: their savepoint was rolled back.</summary>
    internal void Forget(DbTransaction tx, int mark)
    {
        if (_open.TryGetValue(tx, out var changes) && changes.Count > mark)
        {
            changes.RemoveRange(mark, changes.Count - mark);
        }
    }

    internal void Committed(DbTransaction tx)
    {
        if (!_open.TryRemove(tx, out var changes))
        {
            return;
        }

        foreach (var change in changes)
        {
            foreach (var observer in _observers)
            {
                observer.OnCommitted(change);
            }
        }
    }

    internal void Discarded(DbTransaction tx) => _open.TryRemove(tx, out _);
}
