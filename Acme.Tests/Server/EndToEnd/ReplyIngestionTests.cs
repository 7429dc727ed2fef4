using Acme.Email.Incoming;
using Acme.Server.Mail;
using Acme.Server.Storage;
using Acme.Server.Workflows;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>Issue 9 item 1: a message the source hands over that cannot be recorded stays at the source; the others go on.</summary>
public sealed class ReplyIngestionTests : EndToEndTestBase
{
    private readonly ScriptedReplySource _source = new();

    protected override string[] Settings => ["Mail:RunInBackground=false"];

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IReplySource>(_source);

    [Test]
    public async Task UnrecordableMessage_NotCommitted_NextMessageRecordedAndJudged()
    {
        var now = Server.Time.GetUtcNow();
        _source.Messages.Add(new IncomingMessage("fake:1-poison", null!, now)); // raw_message NOT NULL: the insert throws
        _source.Messages.Add(new IncomingMessage("fake:2-good", "From: a@example.test\r\nSubject: hello\r\n\r\nhi\r\n"u8.ToArray(), now));

        Assert.That(await Server.Services.GetRequiredService<ReplyProcessor>().RunOnceAsync(CancellationToken.None), Is.EqualTo(1));

        Assert.That(_source.Committed, Is.EqualTo(new[] { "fake:2-good" }), "only what was recorded is committed at the source");
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
