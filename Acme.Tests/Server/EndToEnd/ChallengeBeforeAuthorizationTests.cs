using System.Net;
using System.Text.Json.Nodes;
using Acme.Server.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// RFC 8823 §3 (requirements 1.8): a client that POSTs the challenge without having fetched its authorization
/// still gets token-part1 created and its challenge mail queued, once.
/// </summary>
public sealed class ChallengeBeforeAuthorizationTests : EndToEndTestBase
{
    protected override string[] Settings => ["Mail:RunInBackground=false"];

    [Test]
    public async Task ChallengePost_AuthorizationNeverFetched_CreatesTokenPart1AndQueuesOneMail()
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync("bob@example.test");
        var authzUrl = order.Json!["authorizations"]![0]!.GetValue<string>();
        var authzId = LastSegment(authzUrl);
        var db = Server.Services.GetRequiredService<Database>();
        var orders = Server.Services.GetRequiredService<IOrderStore>();
        var challengeId = (await db.ReadAsync(c => orders.ChallengesOfAuthorizationAsync(c, authzId), CancellationToken.None)).Single().Id;

        var first = await client.PostAsync(Server.Urls.Challenge(challengeId), new JsonObject());
        var second = await client.PostAsync(Server.Urls.Challenge(challengeId), new JsonObject());

        Assert.That(first.Status, Is.EqualTo(HttpStatusCode.OK), first.ToString());
        Assert.That(first.Json!["status"]!.GetValue<string>(), Is.EqualTo("processing"));
        Assert.That(second.Status, Is.EqualTo(HttpStatusCode.OK), second.ToString());
        var mails = await db.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM challenge_mails WHERE challenge_id = @challengeId", new { challengeId }), CancellationToken.None);
        Assert.That(mails, Is.EqualTo(1), "token-part1 created by the first POST, not again by the second");
        var token = await db.ReadAsync(c => orders.FindChallengeAsync(c, challengeId), CancellationToken.None);
        Assert.That(token!.TokenPart1, Is.Not.Null);
    }
}
