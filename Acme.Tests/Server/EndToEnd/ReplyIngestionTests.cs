using Acme.Email.Incoming;
using Acme.Server.Mail;
using Acme.Server.Storage;
using Acme.Server.Workflows;
using Acme.Tests.Support.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>Issue 9 item 1: a message the source hands over that cannot be recorded stays at the source; the others go on.</summary>
public sealed class ReplyIngestionTests : EndToEndTestBase
{
    private readonly ScriptedReplySource _source = new();
    private BreakableStorageEngine? _engine;

    protected override string[] Settings => ["Mail:RunInBackground=false"];

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IReplySource>(_source);
        services.AddSingleton<IStorageEngine>(sp => _engine = BreakableStorageEngine.ForConfiguredProvider(sp));
    }

    [SetUp]
    public void ForgetMessages()
    {
        // One fixture instance runs every test: each starts with an empty source.
        _source.Messages.Clear();
        _source.Committed.Clear();
    }

    [Test]
    public async Task MessagesArrivedTogether_RecordedInOneTransaction()
    {
        var now = Server.Time.GetUtcNow();
        for (var i = 1; i <= 3; i++)
        {
            _source.Messages.Add(new IncomingMessage($"fake:{i}", System.Text.Encoding.ASCII.GetBytes($"From: a@example.test\r\nSubject: hello {i}\r\n\r\nhi\r\n"), now));
        }

        var before = _engine!.WriteTransactions;
        Assert.That(await Server.Services.GetRequiredService<ReplyIngestion>().RunOnceAsync(50, CancellationToken.None), Is.EqualTo(3));

        Assert.That(_engine.WriteTransactions - before, Is.EqualTo(1), "one commit for the three");
        Assert.That(_source.Committed, Is.EqualTo(new[] { "fake:1", "fake:2", "fake:3" }));
        var db = Server.Services.GetRequiredService<Database>();
        var audited = await db.ReadAsync(c => c.QuerySingleAsync<long>("SELECT COUNT(*) FROM audit_events WHERE event = 'reply.received'"), CancellationToken.None);
        Assert.That(audited, Is.EqualTo(3), "each reply still has its own audit event");
        Assert.That(await Server.Services.GetRequiredService<ReplyIngestion>().RunOnceAsync(50, CancellationToken.None), Is.Zero, "nothing new");
    }

    [Test]
    public async Task UnrecordableMessage_NotCommitted_NextMessageRecordedAndJudged()
    {
        var now = Server.Time.GetUtcNow();
        _source.Messages.Add(new IncomingMessage("fake:1-poison", null!, now)); // raw_message NOT NULL: the insert throws
        _source.Messages.Add(new IncomingMessage("fake:2-good", "From: a@example.test\r\nSubject: hello\r\n\r\nhi\r\n"u8.ToArray(), now));

        Assert.That(await Server.Services.GetRequiredService<ReplyProcessor>().RunOnceAsync(CancellationToken.None), Is.EqualTo(1));

        Assert.That(_source.Committed, Is.EqualTo(new[] { "fake:2-good" }), "only what was recorded is committed at the source: " + string.Join(",", _source.Committed));
        var db = Server.Services.GetRequiredService<Database>();
        var outcome = await db.ReadAsync(c => c.QuerySingleAsync<string>("SELECT outcome FROM inbound_replies WHERE source_id = 'fake:2-good'"), CancellationToken.None);
        Assert.That(outcome, Is.EqualTo("uncorrelated"));
    }

    private sealed class ScriptedReplySource : IReplySource
    {
        public List<IncomingMessage> Messages { get; } = [];

        public List<string> Committed { get; } = [];

        public Task<IReadOnlyList<IncomingMessage>> FetchAsync(int max, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<IncomingMessage>>(Messages.Where(m => !Committed.Contains(m.SourceId)).Take(max).ToList());

        public Task CommitAsync(IReadOnlyList<IncomingMessage> messages, CancellationToken ct)
        {
            Committed.AddRange(messages.Select(m => m.SourceId));
            return Task.CompletedTask;
        }

        public Task WaitAsync(TimeSpan max, CancellationToken ct) => Task.CompletedTask;
    }
}
