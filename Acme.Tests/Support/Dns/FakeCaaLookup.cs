using System.Collections.Concurrent;
using Acme.Validation.Caa;

namespace Acme.Tests.Support.Dns;

/// <summary>
/// An in-memory <see cref="ICaaLookup"/>: name → result (names not configured answer NXDOMAIN),
/// names provably insecure, and the queries made, in order.
/// </summary>
public sealed class FakeCaaLookup : ICaaLookup
{
    private readonly ConcurrentDictionary<string, Queue<CaaLookupResult>> _results = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _insecure = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> _queries = new();
    private readonly ConcurrentQueue<string> _insecureQueries = new();

    /// <summary>The CAA queries made, in order.</summary>
    public IReadOnlyList<string> Queries => _queries.ToArray();

    /// <summary>The names passed to <see cref="ProveInsecureAsync"/>, in order.</summary>
    public IReadOnlyList<string> InsecureProofQueries => _insecureQueries.ToArray();

    /// <summary>
    /// Answers <paramref name="name"/> with <paramref name="results"/> in turn (the last one repeats).
    /// </summary>
    public FakeCaaLookup Answer(string name, params CaaLookupResult[] results)
    {
        _results[name] = new Queue<CaaLookupResult>(results);
        return this;
    }

    /// <summary>Publishes CAA records at <paramref name="name"/> (an unauthenticated answer).</summary>
    public FakeCaaLookup Publish(string name, params CaaProperty[] records) =>
        Answer(name, CaaLookupResult.Found(records, authenticated: false));

    /// <summary>Publishes CAA records written as <c>flags tag value</c>, for example <c>0 issuemail ca.example.test</c>.</summary>
    public FakeCaaLookup Publish(string name, params string[] records) =>
        Publish(name, records.Select(Parse).ToArray());

    /// <summary>Makes <see cref="ProveInsecureAsync"/> return true for <paramref name="name"/>.</summary>
    public FakeCaaLookup ProvablyInsecure(string name)
    {
        _insecure[name] = true;
        return this;
    }

    /// <summary>Parses <c>flags tag value</c> (the value is the rest of the line, unquoted).</summary>
    public static CaaProperty Parse(string record)
    {
        var parts = record.Split(' ', 3);
        return new CaaProperty(byte.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts[1], parts.Length > 2 ? parts[2] : string.Empty);
    }

    /// <inheritdoc />
    public Task<CaaLookupResult> LookupAsync(string domain, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        _queries.Enqueue(domain);
        if (!_results.TryGetValue(domain, out var queue))
        {
            return Task.FromResult(CaaLookupResult.NxDomain(authenticated: false));
        }

        lock (queue)
        {
            return Task.FromResult(queue.Count > 1 ? queue.Dequeue() : queue.Peek());
        }
    }

    /// <inheritdoc />
    public Task<bool> ProveInsecureAsync(string domain, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        _insecureQueries.Enqueue(domain);
        return Task.FromResult(_insecure.ContainsKey(domain));
    }
}
