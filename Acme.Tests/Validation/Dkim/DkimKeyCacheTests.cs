using Acme.Tests.Support.Mail;
using Acme.Validation.Dkim;
using Acme.Validation.Identifiers;
using MimeKit;
using Org.BouncyCastle.Crypto;

namespace Acme.Tests.Validation.Dkim;

/// <summary>
/// Issue 13: a DKIM key already seen is not parsed again (an RSA key's primality test was a third of the
/// server's CPU), yet a rotated key is used at once and a bad record is never kept.
/// </summary>
public sealed class DkimKeyCacheTests
{
    private readonly ReplyScenario _scenario = new();

    private static async Task<MimeMessage> SignedReplyAsync()
    {
        var message = TestReplyFactory.Acmez(ReplyScenario.Content);
        ReplyScenario.SignRsa(message);
        return await TestReplyFactory.AsReceivedAsync(message);
    }

    [Test]
    public async Task SameRecord_ParsedOnce_SameKeyServed()
    {
        var cache = new DkimKeyCache();
        var verifier = new ReplyDkimVerifier(_scenario.Lookup, DkimPolicy.Default, _scenario.Time, cache);
        for (var i = 0; i < 3; i++)
        {
            var outcome = await verifier.VerifyAsync(await SignedReplyAsync(), ReplyScenario.Identifier, CancellationToken.None);
            Assert.That(outcome.IsSuccess, Is.True, outcome.Failure?.Detail);
        }

        Assert.That(cache.Count, Is.EqualTo(1));
        Assert.That(_scenario.Lookup.Queries, Has.Count.EqualTo(3), "every reply still looks the record up, so a rotated key is seen at once");
    }

    [Test]
    public void GetOrParse_ParsesOnlyTheFirstTime_AndKeepsNoFailure()
    {
        var cache = new DkimKeyCache();
        var parses = 0;
        AsymmetricKeyParameter Parse(string record)
        {
            parses++;
            return record == "good" ? DkimTestKey.Ed25519.PrivateKey : throw new FormatException("bad record");
        }

        var first = cache.GetOrParse("good", Parse);
        Assert.That(cache.GetOrParse("good", Parse), Is.SameAs(first));
        Assert.That(parses, Is.EqualTo(1));

        Assert.Throws<FormatException>(() => cache.GetOrParse("bad", Parse));
        Assert.Throws<FormatException>(() => cache.GetOrParse("bad", Parse));
        Assert.That(parses, Is.EqualTo(3), "a bad record is parsed (and refused) every time");
        Assert.That(cache.Count, Is.EqualTo(1));
    }

    [Test]
    public void OverCapacity_OldestDropped()
    {
        var cache = new DkimKeyCache(capacity: 2);
        foreach (var record in new[] { "a", "b", "c" })
        {
            cache.GetOrParse(record, _ => DkimTestKey.Ed25519.PrivateKey);
        }

        Assert.That(cache.Count, Is.EqualTo(2));
    }
}
