using Acme.Server.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Issue 13: a reply is judged against its authorization's mailbox and its account's key thumbprint, read in one
/// statement; an authorization that is not there gives nothing.
/// </summary>
public sealed class ReplyExpectationReadTests : EndToEndTestBase
{
    protected override string[] Settings => ["Mail:RunInBackground=false"];

    [Test]
    public async Task MailboxAndAccountKey_OfAnAuthorization_OrNothing()
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync("Carol@Example.test");
        var authzId = LastSegment(order.Json!["authorizations"]![0]!.GetValue<string>());
        var db = Server.Services.GetRequiredService<Database>();
        var orders = Server.Services.GetRequiredService<IOrderStore>();

        var found = await db.ReadAsync(c => orders.FindMailboxAndAccountKeyAsync(c, authzId), CancellationToken.None);
        var stored = await db.ReadAsync(c => orders.FindAuthorizationAsync(c, authzId), CancellationToken.None);
        Assert.That(found, Is.EqualTo((stored!.Identifier, client.Key.Thumbprint)));
        Assert.That(await db.ReadAsync(c => orders.FindMailboxAndAccountKeyAsync(c, "AAAAAAAAAAAAAAAAAAAAAA"), CancellationToken.None), Is.Null);
    }
}
