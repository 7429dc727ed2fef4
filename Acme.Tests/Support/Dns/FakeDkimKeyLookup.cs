using System.Collections.Concurrent;
using Acme.Validation.Dkim;

namespace Acme.Tests.Support.Dns;

/// <summary>An in-memory <see cref="IDkimKeyLookup"/>: name → TXT records, plus names that fail temporarily.</summary>
public sealed class FakeDkimKeyLookup : IDkimKeyLookup
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _records = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _temporaryFailures = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _silent = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> _queries = new();

    /// <summary>The names queried, in order.</summary>
    public IReadOnlyCollection<string> Queries => _queries;

    /// <summary>Publishes TXT records at <paramref name="name"/> (replacing earlier ones).</summary>
    public FakeDkimKeyLookup Publish(string name, params string[] txtRecords)
    {
        _records[name] = txtRecords;
        return this;
    }

    /// <summary>Publishes a key record at <c>selector._domainkey.domain</c>.</summary>
    public FakeDkimKeyLookup PublishKey(string selector, string domain, string txtRecord) =>
        Publish($"{selector}._domainkey.{domain}", txtRecord);

    /// <summary>Makes lookups of <paramref name="name"/> fail temporarily.</summary>
    public FakeDkimKeyLookup FailTemporarily(string name, string message = "SERVFAIL")
    {
        _temporaryFailures[name] = message;
        return this;
    }

    /// <summary>Makes lookups of <paramref name="name"/> never answer (a DNS server that stays silent) until cancelled.</summary>
    public FakeDkimKeyLookup StaySilent(string name)
    {
        _silent[name] = true;
        return this;
    }

    /// <summary>Lookups of <paramref name="name"/> answer normally again.</summary>
    public FakeDkimKeyLookup Recover(string name)
    {
        _temporaryFailures.TryRemove(name, out _);
        _silent.TryRemove(name, out _);
        return this;
    }

    /// <inheritdoc />
    public async Task<DkimKeyLookupResult> LookupTxtAsync(string name, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        _queries.Enqueue(name);
        if (_silent.ContainsKey(name))
        {
            await new TaskCompletionSource().Task.WaitAsync(ct);
        }

        return Answer(name);
    }

    private DkimKeyLookupResult Answer(string name)
    {
        if (_temporaryFailures.TryGetValue(name, out var message))
        {
            return DkimKeyLookupResult.TemporaryFailure(message);
        }

        return _records.TryGetValue(name, out var records)
            ? DkimKeyLookupResult.Found(records)
            : DkimKeyLookupResult.NotFound($"{name} does not exist");
    }
}
