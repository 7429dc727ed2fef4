using System.Text.RegularExpressions;
using Acme.Tests.Support;
using Acme.Tests.Support.Dns;
using Acme.Validation.Dkim;

namespace Acme.Tests.Validation.Dkim;

/// <summary>
/// Issue 13: DKIM key records are kept for their TTL (at most <see cref="DnsClientDkimKeyLookup.MaximumCacheTime"/>),
/// so replies from one domain do not each cost a DNS exchange; a zero TTL and a missing record are asked again.
/// Counted on a real dnsmasq with <c>--log-queries</c>.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class DnsClientDkimKeyCacheTests
{
    private const string Key = "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA";

    [SetUp]
    public void SetUp()
    {
        if (!DnsmasqServer.IsInstalled)
        {
            RequiredTool.Missing("dnsmasq is not installed (apt-get install -y dnsmasq-base); the DKIM key cache tests need it");
        }
    }

    [Test]
    public async Task ARecordWithATtl_IsAskedOnce_ForSeveralReplies()
    {
        using var dns = Start("--local-ttl=300");
        var lookup = new DnsClientDkimKeyLookup([dns.Endpoint]);

        for (var i = 0; i < 3; i++)
        {
            var found = await lookup.LookupTxtAsync("sel._domainkey.cache.example.test", CancellationToken.None);
            Assert.That(found.Status, Is.EqualTo(DkimKeyLookupStatus.Found));
            Assert.That(found.Records, Is.EqualTo(new[] { Key }));
        }

        Assert.That(await QueriesAsync(dns, lookup, "sel._domainkey.cache.example.test"), Is.EqualTo(1));
    }

    [Test]
    public async Task AZeroTtl_AndAMissingRecord_AreAskedEveryTime()
    {
        using var dns = Start("--local-ttl=0");
        var lookup = new DnsClientDkimKeyLookup([dns.Endpoint]);

        for (var i = 0; i < 3; i++)
        {
            Assert.That((await lookup.LookupTxtAsync("sel._domainkey.cache.example.test", CancellationToken.None)).Status, Is.EqualTo(DkimKeyLookupStatus.Found));
            Assert.That((await lookup.LookupTxtAsync("none._domainkey.cache.example.test", CancellationToken.None)).Status, Is.EqualTo(DkimKeyLookupStatus.NotFound));
        }

        Assert.That(await QueriesAsync(dns, lookup, "sel._domainkey.cache.example.test"), Is.EqualTo(3));
        Assert.That(await QueriesAsync(dns, lookup, "none._domainkey.cache.example.test"), Is.EqualTo(3), "NXDOMAIN is not kept: a key published later is seen");
    }

    private static DnsmasqServer Start(string ttl) =>
        DnsmasqServer.Start(["test"], [], $"--txt-record=sel._domainkey.cache.example.test,{Key}", "--log-queries", ttl);

    // dnsmasq logs the queries in the order it received them: once a fresh name of our own shows up, every
    // earlier query has been logged.
    private static async Task<int> QueriesAsync(DnsmasqServer dns, DnsClientDkimKeyLookup lookup, string name)
    {
        var marker = $"m{Guid.NewGuid():N}._domainkey.cache.example.test";
        await lookup.LookupTxtAsync(marker, CancellationToken.None);
        Assert.That(await Eventually.HoldsAsync(() => Task.FromResult(dns.Log.Contains(marker, StringComparison.Ordinal)), TimeSpan.FromSeconds(10)),
            Is.True, dns.Log);
        return Regex.Matches(dns.Log, $@"query\[TXT\] {Regex.Escape(name)} from").Count;
    }
}
