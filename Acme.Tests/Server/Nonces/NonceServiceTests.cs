using Acme.Server.Nonces;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Server.Nonces;

public sealed class NonceServiceTests
{
    [Test]
    public void TryRedeem_IssuedNonce_SucceedsExactlyOnce()
    {
        var service = new NonceService(new FakeTimeProvider(), TimeSpan.FromMinutes(5));
        var nonce = service.Issue();
        Assert.That(service.TryRedeem(nonce), Is.True);
        Assert.That(service.TryRedeem(nonce), Is.False);
    }

    [Test]
    public void TryRedeem_Expired_Fails()
    {
        var time = new FakeTimeProvider();
        var service = new NonceService(time, TimeSpan.FromMinutes(5));
        var nonce = service.Issue();
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.That(service.TryRedeem(nonce), Is.False);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("not-issued-here")]
    public void TryRedeem_Unknown_Fails(string? nonce) =>
        Assert.That(new NonceService(new FakeTimeProvider(), TimeSpan.FromMinutes(5)).TryRedeem(nonce), Is.False);

    [Test]
    public void Issue_OverCapacity_DropsOldest()
    {
        var service = new NonceService(new FakeTimeProvider(), TimeSpan.FromMinutes(5), capacity: 3);
        var first = service.Issue();
        var rest = Enumerable.Range(0, 3).Select(_ => service.Issue()).ToList();
        Assert.That(service.TryRedeem(first), Is.False);
        Assert.That(rest.All(service.TryRedeem), Is.True);
    }

    [Test]
    public void RedeemedNonces_AreNotKept_BehindOneNeverRedeemed()
    {
        var time = new FakeTimeProvider();
        var service = new NonceService(time, TimeSpan.FromHours(1));
        var unused = service.Issue(); // a client's last nonce, never sent back
        for (var i = 0; i < 20_000; i++)
        {
            Assert.That(service.TryRedeem(service.Issue()), Is.True);
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.That(service.Tracked, Is.LessThan(2_100), "memory follows the live nonces (1), not the 20,001 issued within the lifetime");
        Assert.That(service.TryRedeem(unused), Is.True, "the live one survives the compaction");
    }

    [Test]
    public void Issue_Nonces_AreUnpaddedBase64UrlAndUnique()
    {
        var service = new NonceService(new FakeTimeProvider(), TimeSpan.FromMinutes(5));
        var nonces = Enumerable.Range(0, 500).Select(_ => service.Issue()).ToList();
        Assert.That(nonces.Distinct().Count(), Is.EqualTo(500));
        Assert.That(nonces, Has.All.Match("^[A-Za-z0-9_-]{22}$"));
    }

    [Test]
    public void TryRedeem_RejectAll_RefusesValidNonces()
    {
        var service = new NonceService(new FakeTimeProvider(), TimeSpan.FromMinutes(5)) { RejectPercent = 100 };
        Assert.That(service.TryRedeem(service.Issue()), Is.False);
    }

    [TestCase(34, new[] { false, false, true, false, false, true, false, false, true })]
    [TestCase(50, new[] { false, true, false, true, false, true })]
    [TestCase(25, new[] { false, false, false, true, false, false, false, true })]
    public void TryRedeem_RejectPercent_RefusesAnEvenlySpreadShare(int percent, bool[] refused)
    {
        var service = new NonceService(new FakeTimeProvider(), TimeSpan.FromMinutes(5)) { RejectPercent = percent };
        var actual = refused.Select(_ => !service.TryRedeem(service.Issue())).ToArray();
        Assert.That(actual, Is.EqualTo(refused));
    }

    [Test]
    public void TryRedeem_RejectPercent_CountsOnlyValidNonces()
    {
        // An unknown nonce is refused on its own merits and does not advance the test hook's count.
        var service = new NonceService(new FakeTimeProvider(), TimeSpan.FromMinutes(5)) { RejectPercent = 50 };
        Assert.That(service.TryRedeem("unknown"), Is.False);
        Assert.That(service.TryRedeem(service.Issue()), Is.True);
        Assert.That(service.TryRedeem(service.Issue()), Is.False);
    }

    [Test]
    public void Redeem_SaysWhetherTheTestSwitchRefusedAValidNonce()
    {
        var service = new NonceService(new FakeTimeProvider(), TimeSpan.FromMinutes(5)) { RejectPercent = 50 };
        Assert.That(service.Redeem("unknown"), Is.EqualTo(NonceRedemption.UnknownExpiredOrUsed));
        Assert.That(service.Redeem(service.Issue()), Is.EqualTo(NonceRedemption.Accepted));
        Assert.That(service.Redeem(service.Issue()), Is.EqualTo(NonceRedemption.RefusedByTestSwitch));
    }
}
