using System.Net;
using Acme.Validation.Dkim;
using Acme.Validation.Dns;

namespace Acme.Tests.Validation.Dkim;

[TestFixture]
public sealed class DnsClientDkimKeyLookupTests
{
    [TestCase("127.0.0.1:5353", "127.0.0.1", 5353)]
    [TestCase("[::1]:53", "::1", 53)]
    [TestCase("192.0.2.10:65535", "192.0.2.10", 65535)]
    public void ParseEntry_AddressAndPort_ReturnsEndpoint(string entry, string address, int port)
    {
        Assert.That(DnsServerList.ParseEntry(entry), Is.EqualTo(new IPEndPoint(IPAddress.Parse(address), port)));
    }

    [TestCase("")]
    [TestCase("127.0.0.1")]
    [TestCase("127.0.0.1:")]
    [TestCase("127.0.0.1:0")]
    [TestCase("127.0.0.1:70000")]
    [TestCase("127.0.0.1:53x")]
    [TestCase("dns.example.test:53")]
    [TestCase("256.0.0.1:53")]
    [TestCase("::1:53")]
    [TestCase("[::1]53")]
    [TestCase("[127.0.0.1]:53")]
    public void Constructor_BadServerEntry_ThrowsNamingIt(string entry)
    {
        Assert.That(() => new DnsClientDkimKeyLookup(["127.0.0.1:53", entry]),
            Throws.ArgumentException.With.Message.Contains($"'{entry}'"));
    }

    [Test]
    public void Constructor_EmptyList_UsesSystemResolver()
    {
        Assert.That(() => new DnsClientDkimKeyLookup([]), Throws.Nothing);
    }

    [TestCase("sel", "Bücher.Example", "sel._domainkey.xn--bcher-kva.example")]
    [TestCase("sel", "example.test.", "sel._domainkey.example.test")]
    public void KeyName_Domain_IsLowerCaseALabels(string selector, string domain, string expected)
    {
        Assert.That(DkimKeyLocator.KeyName(selector, domain), Is.EqualTo(expected));
    }
}
