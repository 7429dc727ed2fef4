using System.Net.Sockets;
using Acme.Validation.Dns;
using DnsClient;

namespace Acme.Validation.Dkim;

/// <summary>
/// <see cref="IDkimKeyLookup"/> backed by DnsClient: TCP fallback, 5 s timeout, one retry, DNS errors
/// reported as statuses rather than exceptions. Answers are kept for their TTL, as a resolver keeps them,
/// and never longer than <see cref="MaximumCacheTime"/>; failures and NXDOMAIN are not kept, so a key
/// published after a failed lookup is seen at the next reply.
/// </summary>
public sealed class DnsClientDkimKeyLookup : IDkimKeyLookup
{
    /// <summary>The longest a key record is reused without asking DNS again, whatever its TTL.</summary>
    public static readonly TimeSpan MaximumCacheTime = TimeSpan.FromMinutes(5);

    private readonly LookupClient _client;

    /// <summary>
    /// Creates a lookup that queries the given servers (<c>address:port</c>, see
    /// <see cref="DnsServerList"/>), or the system resolver when the list is empty.
    /// </summary>
    /// <exception cref="ArgumentException">An entry is not <c>address:port</c>.</exception>
    public DnsClientDkimKeyLookup(IReadOnlyList<string> servers)
    {
        var endpoints = DnsServerList.Parse(servers);
        var options = endpoints.Count == 0
            ? new LookupClientOptions()
            : new LookupClientOptions(endpoints.Select(e => new NameServer(e)).ToArray());
        // Issue 13: a lookup per reply cost a UDP exchange and a socket for a record that changes rarely.
        options.UseCache = true;
        options.MaximumCacheTimeout = MaximumCacheTime;
        options.CacheFailedResults = false;
        options.UseTcpFallback = true;
        options.Timeout = TimeSpan.FromSeconds(5);
        options.Retries = 1;
        options.ThrowDnsErrors = false;
        _client = new LookupClient(options);
    }

    /// <inheritdoc />
    public async Task<DkimKeyLookupResult> LookupTxtAsync(string name, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, QueryType.TXT, QueryClass.IN, ct).ConfigureAwait(false);
        }
        catch (DnsResponseException e)
        {
            return DkimKeyLookupResult.TemporaryFailure($"DNS query for {name} failed: {e.Message}");
        }
        catch (SocketException e)
        {
            return DkimKeyLookupResult.TemporaryFailure($"DNS query for {name} failed: {e.Message}");
        }

        var code = response.Header.ResponseCode;
        if (code == DnsHeaderResponseCode.NotExistentDomain)
        {
            return DkimKeyLookupResult.NotFound($"{name} does not exist (NXDOMAIN)");
        }

        if (code != DnsHeaderResponseCode.NoError)
        {
            return DkimKeyLookupResult.TemporaryFailure($"DNS query for {name} answered {code}");
        }

        // RFC 6376 §3.6.2.2: the strings of one TXT record are concatenated without separators.
        var records = response.Answers.TxtRecords().Select(t => string.Concat(t.Text)).ToArray();
        return records.Length == 0
            ? DkimKeyLookupResult.NotFound($"{name} has no TXT record")
            : DkimKeyLookupResult.Found(records);
    }
}
