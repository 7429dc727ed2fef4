using Acme.Validation.Identifiers;

namespace Acme.Tests.Validation.Identifiers;

public sealed class PublicHostNamesTests
{
    [TestCase("ca.example.com", HostKind.PublicName)]
    [TestCase("CRL.Example.ORG.", HostKind.PublicName)]
    [TestCase("pki.example.co.uk", HostKind.PublicName)]
    [TestCase("crl.bücher.de", HostKind.PublicName)]
    [TestCase("ca.example.xn--p1ai", HostKind.PublicName)]
    [TestCase("ca.пример.рф", HostKind.PublicName)]
    [TestCase("localhost", HostKind.InternalName)]
    [TestCase("ca", HostKind.InternalName)]
    [TestCase("com", HostKind.InternalName)]
    [TestCase("pki.corp", HostKind.InternalName)]
    [TestCase("crl.internal", HostKind.InternalName)]
    [TestCase("ca.local", HostKind.InternalName)]
    [TestCase("ca.example.test", HostKind.InternalName)]
    [TestCase("acme.localhost", HostKind.InternalName)]
    [TestCase("nas.home.arpa", HostKind.InternalName)]
    [TestCase("127.0.0.1", HostKind.ReservedIpAddress)]
    [TestCase("10.0.0.5", HostKind.ReservedIpAddress)]
    [TestCase("192.168.1.1", HostKind.ReservedIpAddress)]
    [TestCase("[::1]", HostKind.ReservedIpAddress)]
    [TestCase("[fd00::1]", HostKind.ReservedIpAddress)]
    [TestCase("0.0.0.0", HostKind.ReservedIpAddress)]
    [TestCase("8.8.8.8", HostKind.PublicIpAddress)]
    [TestCase("[2a00:1450:4001:80b::200e]", HostKind.PublicIpAddress)]
    public void Classify(string host, HostKind expected) =>
        Assert.That(PublicHostNames.Icann.Classify(host), Is.EqualTo(expected));

    [Test]
    public void EmbeddedList_HoldsTheIcannTopLevelDomains() =>
        Assert.That(PublicHostNames.Icann.Count, Is.InRange(1400, 2000));
}
