using System.Net.Sockets;
using Acme.Validation.Dns;
using DnsClient;
using DnsClient.Protocol;

namespace Acme.Validation.Caa;

/// <summary>
/// <see cref="ICaaLookup"/> backed by DnsClient. Queries go to the configured resolver, which must
/// validate DNSSEC (SBR 4.2.2.1.1); the DO bit is set and the AD bit of the answer is reported.
/// No cache, TCP fallback, 5 s timeout, one retry, DNS errors reported as results.
/// </summary>
public sealed class DnsClientCaaLookup : ICaaLookup
{
    private readonly LookupClient _client;

    /// <summary>
    /// Creates a lookup that queries the given servers (<c>address:port</c>, see
    /// <see cref="DnsServerList"/>), or the system resolver when the list is empty.
    /// </summary>
    /// <exception cref="ArgumentException">An entry is not <c>address:port</c>.</exception>
    public DnsClientCaaLookup(IReadOnlyList<string> servers)
        : this(servers, TimeSpan.FromSeconds(5))
    {
    }

    /// <summary>As the public constructor, with another per-try timeout (tests).</summary>
    internal DnsClientCaaLookup(IReadOnlyList<string> servers, TimeSpan timeout)
    {
        var endpoints = DnsServerList.Parse(servers);
        var options = endpoints.Count == 0
            ? new LookupClientOptions()
            : new LookupClientOptions(endpoints.Select(e => new NameServer(e)).ToArray());
        options.UseCache = false;
        options.UseTcpFallback = true;
        options.Timeout = timeout;

        // SBR 4.2.2.1: a lookup must be retried at least once before a failure may count.
        options.Retries = 1;
        options.ThrowDnsErrors = false;

        // SBR 4.2.2.1.1: ask for DNSSEC (EDNS with DO) so the validating resolver reports AD.
        options.RequestDnsSecRecords = true;
        _client = new LookupClient(options);
    }

    /// <inheritdoc />
    public async Task<CaaLookupResult> LookupAsync(string domain, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(domain);
        var (response, error) = await QueryAsync(domain, QueryType.CAA, ct).ConfigureAwait(false);
        if (response is null)
        {
            return CaaLookupResult.Failed(error!, outsideInfrastructure: false);
        }

        var code = response.Header.ResponseCode;
        var authenticated = response.Header.IsAuthenticData;
        if (code == DnsHeaderResponseCode.NotExistentDomain)
        {
            return CaaLookupResult.NxDomain(authenticated);
        }

        if (code != DnsHeaderResponseCode.NoError)
        {
            // SBR 4.2.2.1.1: SERVFAIL (also a DNSSEC-bogus chain) is never permission.
            return CaaLookupResult.Failed($"CAA query for {domain} answered {code}", outsideInfrastructure: true);
        }

        var caa = response.Answers.CaaRecords().ToArray();
        var records = caa.Select(r => new CaaProperty(r.Flags, r.Tag, r.Value)).ToArray();
        TimeSpan? ttl = caa.Length == 0 ? null : TimeSpan.FromSeconds(caa.Min(r => r.InitialTimeToLive));
        var canonical = response.Answers.CnameRecords().LastOrDefault()?.CanonicalName.Value.TrimEnd('.');
        return CaaLookupResult.Found(records, authenticated, canonical, ttl);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Walks from <paramref name="domain"/> towards the TLD asking DS at each name. Unauthenticated
    /// answers and failures decide nothing (the name lies below the cut, in an unsigned zone or
    /// one whose servers fail), so the walk goes up. At the
    /// first authenticated answer: DS records or NXDOMAIN mean no proof; NODATA proves an
    /// unsigned delegation only if the name is a zone cut, shown either by the NSEC record in the
    /// denial (NS set, DS and SOA absent) or by an unauthenticated SOA owned by the name.
    /// </remarks>
    public async Task<bool> ProveInsecureAsync(string domain, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(domain);
        for (var name = domain; name.Length > 0; name = Parent(name))
        {
            var (response, _) = await QueryAsync(name, QueryType.DS, ct).ConfigureAwait(false);
            var code = response?.Header.ResponseCode;

            // Below the cut a failure (the child's servers down) or an unauthenticated answer proves
            // nothing either way; only an authenticated answer from a signed parent decides, so go up.
            if (response is null || (code != DnsHeaderResponseCode.NoError && code != DnsHeaderResponseCode.NotExistentDomain)
                || !response.Header.IsAuthenticData)
            {
                continue;
            }

            if (code == DnsHeaderResponseCode.NotExistentDomain || response.Answers.OfType<DsRecord>().Any())
            {
                return false;
            }

            // RFC 4035 §5.2: an authenticated denial of DS at a delegation point proves Insecure.
            return IsNsecDelegation(response, name) || await IsUnsignedApexAsync(name, ct).ConfigureAwait(false);
        }

        return false;
    }

    private static bool IsNsecDelegation(IDnsQueryResponse response, string name)
    {
        var nsec = response.Authorities.OfType<NSecRecord>()
            .FirstOrDefault(r => string.Equals(r.DomainName.Value.TrimEnd('.'), name, StringComparison.OrdinalIgnoreCase));
        if (nsec is null)
        {
            return false;
        }

        var types = nsec.TypeBitMaps;
        return types.Contains(ResourceRecordType.NS) && !types.Contains(ResourceRecordType.DS)
            && !types.Contains(ResourceRecordType.SOA);
    }

    private async Task<bool> IsUnsignedApexAsync(string name, CancellationToken ct)
    {
        var (response, _) = await QueryAsync(name, QueryType.SOA, ct).ConfigureAwait(false);
        return response is not null
            && response.Header.ResponseCode == DnsHeaderResponseCode.NoError
            && !response.Header.IsAuthenticData
            && response.Answers.SoaRecords().Any(r =>
                string.Equals(r.DomainName.Value.TrimEnd('.'), name, StringComparison.OrdinalIgnoreCase));
    }

    private async Task<(IDnsQueryResponse? Response, string? Error)> QueryAsync(string name, QueryType type, CancellationToken ct)
    {
        try
        {
            return (await _client.QueryAsync(name, type, QueryClass.IN, ct).ConfigureAwait(false), null);
        }
        catch (DnsResponseException e)
        {
            return (null, $"{type} query for {name} failed: {e.Message}");
        }
        catch (SocketException e)
        {
            return (null, $"{type} query for {name} failed: {e.Message}");
        }
    }

    private static string Parent(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? string.Empty : name[(dot + 1)..];
    }
}
