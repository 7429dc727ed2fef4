using Acme.Server.Hosting;
using Acme.Server.Mail;
using Acme.Server.Storage;
using Acme.Tests.Support.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Server.Mail;

/// <summary>
/// Issue 11 item 3: one instance at a time reads replies; when the holder stops renewing (it died), another
/// takes over within <c>Mail:ReaderLease</c>; a holder that shuts down hands over at once.
/// </summary>
[StorageMatrix]
public sealed class ReaderLeaseTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private TestDatabase _db = null!;

    [SetUp]
    public async Task CreateAsync() => _db = await TestDatabase.CreateAsync();

    [TearDown]
    public async Task DisposeAsync() => await _db.DisposeAsync();

    private ReaderLease Instance() =>
        new(_db.Database, new LeaseStore(), new InstanceIdentity(), Options.Create(new MailOptions { ReaderLease = Lease }), _time, NullLogger<ReaderLease>.Instance);

    [Test]
    public async Task OneHolder_RenewsWhileAlive_TakenOverAfterItRunsOut()
    {
        var (a, b) = (Instance(), Instance());
        Assert.That(await a.HoldAsync(CancellationToken.None), Is.True);
        Assert.That(await b.HoldAsync(CancellationToken.None), Is.False, "a holds it");

        _time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.That(await a.HoldAsync(CancellationToken.None), Is.True, "a renews on its next pass");
        _time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.That(await b.HoldAsync(CancellationToken.None), Is.False, "renewed: still a's");

        _time.Advance(TimeSpan.FromSeconds(2)); // a stopped renewing (killed)
        Assert.That(await b.HoldAsync(CancellationToken.None), Is.True, "b takes over once the lease ran out");
        Assert.That(await a.HoldAsync(CancellationToken.None), Is.False, "a, back, waits its turn");
    }

    [Test]
    public async Task ConcurrentInstances_ExactlyOneHolds()
    {
        var instances = Enumerable.Range(0, 8).Select(_ => Instance()).ToList();
        var held = await Task.WhenAll(instances.Select(i => i.HoldAsync(CancellationToken.None)));
        Assert.That(held.Count(h => h), Is.EqualTo(1));
    }

    [Test]
    public async Task HolderReleases_AnotherHoldsAtOnce()
    {
        var (a, b) = (Instance(), Instance());
        Assert.That(await a.HoldAsync(CancellationToken.None), Is.True);
        await a.ReleaseAsync(CancellationToken.None);
        Assert.That(await b.HoldAsync(CancellationToken.None), Is.True);
    }
}
