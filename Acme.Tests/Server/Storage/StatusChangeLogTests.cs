using Acme.Server.Storage;
using Acme.Tests.Support.Storage;

namespace Acme.Tests.Server.Storage;

/// <summary>Observers hear of a status change only when the transaction that wrote it commits.</summary>
[StorageMatrix]
public sealed class StatusChangeLogTests
{
    private Recorder _observed = null!;
    private TestDatabase _db = null!;

    [SetUp]
    public async Task CreateAsync()
    {
        _observed = new Recorder(); // one fixture instance runs every test
        _db = await TestDatabase.CreateAsync(new StatusChangeLog([_observed]));
    }

    [TearDown]
    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static readonly StatusChange Change = new("order", "pending", "ready");

    [Test]
    public async Task Committed_Observed()
    {
        await _db.Database.WriteAsync((c, tx) =>
        {
            _db.Database.Changes.Note(tx, Change);
            Assert.That(_observed.Changes, Is.Empty, "not before the commit");
            return Task.FromResult(true);
        }, CancellationToken.None);
        Assert.That(_observed.Changes, Is.EqualTo(new[] { Change }));
    }

    [Test]
    public async Task RolledBack_NotObserved()
    {
        var committed = await _db.Database.TryWriteAsync((c, tx) =>
        {
            _db.Database.Changes.Note(tx, Change);
            return Task.FromResult(false);
        }, CancellationToken.None);
        Assert.That(committed, Is.False);
        Assert.That(_observed.Changes, Is.Empty);
    }

    [Test]
    public async Task Thrown_NotObserved_AndLaterCommitsCountOnlyTheirOwn()
    {
        Assert.ThrowsAsync<InvalidOperationException>(() => _db.Database.WriteAsync<bool>((c, tx) =>
        {
            _db.Database.Changes.Note(tx, Change);
            throw new InvalidOperationException("the write failed");
        }, CancellationToken.None));

        var other = new StatusChange("certificate", StatusChange.Created, "valid");
        await _db.Database.WriteAsync((c, tx) =>
        {
            _db.Database.Changes.Note(tx, other);
            return Task.FromResult(true);
        }, CancellationToken.None);
        Assert.That(_observed.Changes, Is.EqualTo(new[] { other }));
    }

    private sealed class Recorder : IStatusChangeObserver
    {
        public List<StatusChange> Changes { get; } = [];

        public void OnCommitted(StatusChange change) => Changes.Add(change);
    }
}
