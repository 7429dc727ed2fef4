using System.Text;
using Acme.Server.Jws;
using Acme.Server.Protocol.Problems;
using Acme.Tests.Support.Jose;

namespace Acme.Tests.Server.Jws;

public sealed class StoredKeyCacheTests
{
    [Test]
    public void Get_SameStoredText_ParsesOnceAndVerifies()
    {
        using var account = TestAccountKey.Create("ES256");
        var stored = account.PublicJwk().ToJsonString();
        var cache = new StoredKeyCache();

        var first = cache.Get(stored);
        var second = cache.Get(stored);
        var input = Encoding.ASCII.GetBytes("header.payload");

        Assert.That(second, Is.SameAs(first));
        Assert.That(second.Verify("ES256", input, account.Sign(input)), Is.True);
    }

    [Test]
    public void Get_ChangedStoredKey_GivesTheNewKey()
    {
        // RFC 8555 §7.3.5: after a key change the row holds the new JWK, and only the new key may verify.
        using var oldKey = TestAccountKey.Create("ES256");
        using var newKey = TestAccountKey.Create("ES256");
        var cache = new StoredKeyCache();
        var input = Encoding.ASCII.GetBytes("header.payload");

        var before = cache.Get(oldKey.PublicJwk().ToJsonString());
        var after = cache.Get(newKey.PublicJwk().ToJsonString());

        Assert.That(after.Thumbprint, Is.Not.EqualTo(before.Thumbprint));
        Assert.That(after.Verify("ES256", input, oldKey.Sign(input)), Is.False);
        Assert.That(after.Verify("ES256", input, newKey.Sign(input)), Is.True);
    }

    [Test]
    public void Get_BadStoredText_ThrowsAndIsNotKept()
    {
        var cache = new StoredKeyCache();
        const string NotOnCurve = """{"crv":"P-256","kty":"EC","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE"}""";

        Assert.Throws<AcmeProblemException>(() => cache.Get(NotOnCurve));
        Assert.Throws<AcmeProblemException>(() => cache.Get(NotOnCurve));
        Assert.That(cache.Count, Is.Zero);
    }

    [Test]
    public void Get_MoreKeysThanCapacity_NeverHoldsMore()
    {
        var cache = new StoredKeyCache(capacity: 3);
        for (var i = 0; i < 8; i++)
        {
            using var key = TestAccountKey.Create("ES256");
            cache.Get(key.PublicJwk().ToJsonString());
            Assert.That(cache.Count, Is.InRange(1, 3));
        }
    }

    [TestCase("ES256")]
    [TestCase("RS256")]
    public void Verify_OneKeyFromManyThreads_EveryAnswerRight(string alg)
    {
        // The cached key is shared by every request of the account; the answers must not mix up.
        using var account = TestAccountKey.Create(alg);
        using var other = TestAccountKey.Create(alg);
        var key = new StoredKeyCache().Get(account.PublicJwk().ToJsonString());
        var inputs = Enumerable.Range(0, 64).Select(i => Encoding.ASCII.GetBytes($"header.payload{i}")).ToArray();
        var good = inputs.Select(account.Sign).ToArray();
        var bad = inputs.Select(other.Sign).ToArray();

        var wrong = 0;
        Parallel.For(0, inputs.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n =>
        {
            var i = n % inputs.Length;
            var expectGood = n % 2 == 0;
            if (key.Verify(alg, inputs[i], expectGood ? good[i] : bad[i]) != expectGood)
            {
                Interlocked.Increment(ref wrong);
            }
        });

        Assert.That(wrong, Is.Zero);
    }
}
