namespace Acme.Server.Lifecycle;

/// <summary>An immutable set of allowed (from, to) status edges.</summary>
public sealed class TransitionTable<TStatus> where TStatus : struct, Enum
{
    private readonly HashSet<(TStatus From, TStatus To)> _edges;

    public TransitionTable(params (TStatus From, TStatus To)[] edges) => _edges = [.. edges];

    public bool IsAllowed(TStatus from, TStatus to) => _edges.Contains((from, to));

    public IEnumerable<(TStatus From, TStatus To)> Edges => _edges;

    /// <summary>Throws for an edge the table does not hold: asking for one is a programming error.</summary>
    public void Ensure(TStatus from, TStatus to)
    {
        if (!IsAllowed(from, to))
        {
            throw new InvalidOperationException($"{typeof(TStatus).Name} may not change from {from} to {to}");
        }
    }
}
