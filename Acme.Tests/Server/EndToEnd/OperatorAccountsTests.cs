using System.Net;
using System.Text.Json.Nodes;
using Acme.Server.Protocol;
using Acme.Server.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>Issue 12 §4 accounts: suspend (requests refused as unauthorized), resume, deactivate (RFC 8555 §7.3.6), list and show; all audited.</summary>
public sealed class OperatorAccountsTests : OperatorCommandTestBase
{
    private Database Db => Server.Services.GetRequiredService<Database>();

    [Test]
    public async Task Suspend_NextRequestUnauthorized_ResumeWorksAgain()
    {
        var client = await ClientAsync();
        await IssueAsync(client, "p256", "lea@users.example.test");
        var id = AccountId(client);

        var suspended = await RunAsync("accounts", "suspend", id, "--reason", "abuse report 42");
        Assert.That(suspended.Code, Is.Zero, suspended.Error);
        var refused = await client.NewOrderAsync("lea@users.example.test");
        AssertProblem(refused, HttpStatusCode.Forbidden, "unauthorized");
        Assert.That(refused.Json!["detail"]!.GetValue<string>(), Does.Contain("suspended by the operator"));
        AssertProblem(await client.PostAsGetAsync(client.AccountUrl!), HttpStatusCode.Forbidden, "unauthorized");
        var byKey = await client.PostAsync(client.Url("newAccount"), new JsonObject { ["onlyReturnExisting"] = true }, useJwk: true);
        AssertProblem(byKey, HttpStatusCode.Forbidden, "unauthorized");

        Assert.That((await RunAsync("accounts", "show", id)).Output, Does.Contain("suspended:  since").And.Contain("abuse report 42"));
        Assert.That((await RunAsync("accounts", "list")).Output, Does.Contain($"{id}\tvalid\tyes"));
        var twice = await RunAsync("accounts", "suspend", id, "--reason", "again");
        Assert.That(twice.Code, Is.EqualTo(1));
        Assert.That(twice.Error, Does.Contain("already suspended"));

        var resumed = await RunAsync("accounts", "resume", id);
        Assert.That(resumed.Code, Is.Zero, resumed.Error);
        Assert.That((await client.NewOrderAsync("lea@users.example.test")).Status, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await RunAsync("accounts", "resume", id)).Code, Is.EqualTo(1), "not suspended any more");

        var events = await Db.ReadAsync(c => c.QueryAsync<(string, string)>(
            "SELECT event, actor FROM audit_events WHERE account_id = @id AND event IN ('account.suspended', 'account.resumed') ORDER BY id", new { id }), CancellationToken.None);
        Assert.That(events.Select(e => e.Item1), Is.EqualTo(new[] { "account.suspended", "account.resumed" }));
        Assert.That(events.Select(e => e.Item2), Has.All.StartWith("operator:"));
    }

    [Test]
    public async Task Deactivate_AccountDeactivated_PendingAuthorizationsAndOrdersEnd()
    {
        var client = await ClientAsync();
        var pending = await client.NewOrderAsync("mia@users.example.test");
        Assert.That(pending.Status, Is.EqualTo(HttpStatusCode.Created));
        var authorizationId = LastSegment(pending.Json!["authorizations"]![0]!.GetValue<string>());
        var orderId = LastSegment(pending.Location!);
        var id = AccountId(client);

        var done = await RunAsync("accounts", "deactivate", id);
        Assert.That(done.Code, Is.Zero, done.Error);

        var orders = Server.Services.GetRequiredService<IOrderStore>();
        var authorization = await Db.ReadAsync(c => orders.FindAuthorizationAsync(c, authorizationId), CancellationToken.None);
        Assert.That(authorization!.Status, Is.EqualTo(AuthorizationStatus.Deactivated));
        Assert.That((await Db.ReadAsync(c => orders.FindOrderAsync(c, orderId), CancellationToken.None))!.Status, Is.EqualTo(OrderStatus.Invalid));
        var refused = await client.PostAsGetAsync(pending.Location!);
        AssertProblem(refused, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.That((await RunAsync("accounts", "show", id)).Output, Does.Contain("status:     deactivated"));
        Assert.That((await RunAsync("accounts", "deactivate", id)).Code, Is.EqualTo(1), "already deactivated");
        Assert.That(await Db.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_events WHERE event = 'account.deactivated' AND actor LIKE 'operator:%' AND account_id = @id", new { id }), CancellationToken.None), Is.EqualTo(1));
    }
}
