using Acme.Server.Nonces;
using Acme.Server.Storage;
using Acme.Tests.Support.Storage;
using Acme.Validation.Codecs;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Server.Nonces;

/// <summary>
/// Issue 11 item 3: a nonce issued by one instance is accepted once by another sharing the database, and
/// a replay is refused at every instance; forged, truncated and expired nonces are refused.
/// </summary>
[StorageMatrix]
public sealed class SharedNonceStoreTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private TestDatabase _db = null!;

    [SetUp]
    public async Task CreateAsync() => _db = await TestDatabase.CreateAsync();

    [TearDown]
    public async Task DisposeAsync() => await _db.DisposeAsync();

    private SharedNonceStore Instance() => new(_db.Database, new RedeemedNonceStore(), _time, Lifetime, new NonceRejectSwitch(0));

    [Test]
    public async Task IssuedByOneInstance_AcceptedOnceAtAnother_ReplayRefusedEverywhere()
    {
        var (a, b) = (Instance(), Instance());
        var nonce = await a.IssueAsync(CancellationToken.None);

        Assert.That(await b.RedeemAsync(nonce, CancellationToken.None), Is.EqualTo(NonceRedemption.Accepted));
        Assert.That(await b.RedeemAsync(nonce, CancellationToken.None), Is.EqualTo(NonceRedemption.UnknownExpiredOrUsed));
        Assert.That(await a.RedeemAsync(nonce, CancellationToken.None), Is.EqualTo(NonceRedemption.UnknownExpiredOrUsed));
    }

    [Test]
    public async Task ConcurrentRedemptionsOfOneNonce_ExactlyOneAccepted()
    {
        var instances = Enumerable.Range(0, 4).Select(_ => Instance()).ToList();
        var nonce = await instances[0].IssueAsync(CancellationToken.None);
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => instances[i % 4].RedeemAsync(nonce, CancellationToken.None)));
        Assert.That(results.Count(r => r == NonceRedemption.Accepted), Is.EqualTo(1));
    }

    [Test]
    public async Task Expired_Refused()
    {
        var store = Instance();
        var nonce = await store.IssueAsync(CancellationToken.None);
        _time.Advance(Lifetime + TimeSpan.FromSeconds(1));
        Assert.That(await store.RedeemAsync(nonce, CancellationToken.None), Is.EqualTo(NonceRedemption.UnknownExpiredOrUsed));
    }

    [Test]
    public async Task ForgedOrMangled_Refused()
    {
        var store = Instance();
        var token = StrictBase64Url.TryDecode(await store.IssueAsync(CancellationToken.None), out var bytes) ? bytes : throw new AssertionException("not base64url");
        var laterExpiry = (byte[])token.Clone();
        laterExpiry[20] ^= 0x01; // the expiry, without a matching MAC
        var otherMac = (byte[])token.Clone();
        otherMac[^1] ^= 0x80;
        foreach (var forged in new[] { StrictBase64Url.Encode(laterExpiry), StrictBase64Url.Encode(otherMac), StrictBase64Url.Encode(token[..20]), "", "!!", null })
        {
            Assert.That(await store.RedeemAsync(forged, CancellationToken.None), Is.EqualTo(NonceRedemption.UnknownExpiredOrUsed), forged ?? "null");
        }
    }

    [Test]
    public async Task RedeemedIds_PurgedOnceExpired()
    {
        var store = Instance();
        var nonces = new List<string>();
        for (var i = 0; i < 999; i++)
        {
            nonces.Add(await store.IssueAsync(CancellationToken.None));
        }

        foreach (var nonce in nonces)
        {
            await store.RedeemAsync(nonce, CancellationToken.None);
        }

        _time.Advance(Lifetime + TimeSpan.FromSeconds(1));
        var late = await store.IssueAsync(CancellationToken.None);
        await store.RedeemAsync(late, CancellationToken.None); // the 1000th redemption purges what expired
        var left = await _db.Database.ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT COUNT(*) FROM redeemed_nonces"), CancellationToken.None);
        Assert.That(left, Is.EqualTo(1), "only the unexpired redemption is kept");
    }
}
