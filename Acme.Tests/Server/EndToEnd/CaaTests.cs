using System.Net;
using Acme.Validation.Caa;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>CAA issuemail through the server (RFC 9495, SBR 4.2.2.1), with answers from a fake of our DNS seam.</summary>
public sealed class CaaTests : EndToEndTestBase
{
    protected override string[] Settings => ["Acme:CaaIdentities:0=ca.example.test"];

    [Test]
    public async Task Directory_PublishesIssuerDomains()
    {
        var client = await ClientAsync(register: false);
        Assert.That(client.Directory["meta"]!["caaIdentities"]![0]!.GetValue<string>(), Is.EqualTo("ca.example.test"));
    }

    [Test]
    public async Task NewOrder_IssueMailForUs_Permitted()
    {
        Server.Caa.Publish("users.example.test", "0 issuemail ca.example.test", "0 issue other-ca.example");
        var client = await ClientAsync();
        var order = await client.NewOrderAsync("a@users.example.test");
        Assert.That(order.Status, Is.EqualTo(HttpStatusCode.Created), order.ToString());
    }

    [Test]
    public async Task NewOrder_IssueMailForAnotherCa_CaaProblemQuotingRecordPerMailbox()
    {
        Server.Caa.Publish("denied.example.test", "0 issuemail other-ca.example");
        var client = await ClientAsync();
        var response = await client.NewOrderAsync("ok@users.example.test", "x@sub.denied.example.test");
        AssertProblem(response, HttpStatusCode.Forbidden, "caa");
        var sub = response.Json!["subproblems"]!.AsArray().Single()!;
        Assert.That(sub["identifier"]!["value"]!.GetValue<string>(), Is.EqualTo("x@sub.denied.example.test"));
        Assert.That(sub["detail"]!.GetValue<string>(), Does.Contain("other-ca.example"));
    }

    [Test]
    public async Task NewOrder_Refused_CountedInMetrics()
    {
        Server.Caa.Publish("denied.example.test", "0 issuemail other-ca.example");
        Server.Caa.Publish("users.example.test", "0 issuemail ca.example.test");
        var client = await ClientAsync();
        Assert.That((await client.NewOrderAsync("a@users.example.test")).Status, Is.EqualTo(HttpStatusCode.Created));
        AssertProblem(await client.NewOrderAsync("x@denied.example.test"), HttpStatusCode.Forbidden, "caa");

        var scrape = await Support.Observability.PrometheusScrape.FetchAsync(Http, Server.Urls.Base + "/metrics");
        Assert.That(scrape["""acme_refusals_total{check="caa"}"""], Is.EqualTo(1), "the permitted order is not counted");
        Assert.That(scrape["""acme_refusals_total{check="lint"}"""], Is.Zero);
        Assert.That(scrape["""acme_http_request_duration_seconds_count{endpoint="/new-order",method="POST",status="403"}"""], Is.EqualTo(1));
    }

    [Test]
    public async Task NewOrder_LookupFailure_RefusedNotPermitted()
    {
        Server.Caa.Answer("broken.example.test", CaaLookupResult.Failed("SERVFAIL", outsideInfrastructure: true));
        var client = await ClientAsync();
        var response = await client.NewOrderAsync("x@broken.example.test");
        Assert.That(response.Status, Is.Not.EqualTo(HttpStatusCode.Created), "SBR 4.2.2.1.1: a failed lookup is never permission");
        Assert.That(response.ProblemType, Is.EqualTo("urn:ietf:params:acme:error:caa").Or.EqualTo("urn:ietf:params:acme:error:dns"));
    }

    [Test]
    public async Task Finalize_CheckOlderThanEightHoursAndRecordChanged_Refused()
    {
        var client = await ClientAsync();
        var ready = await ReadyOrderAsync(client, "late@later.example.test");
        Server.Time.Advance(TimeSpan.FromHours(8) + TimeSpan.FromMinutes(1));
        Server.Caa.Publish("later.example.test", "128 issuemail other-ca.example");
        var response = await client.FinalizeAsync(ready["finalize"]!.GetValue<string>(), Csr("p256", "late@later.example.test"));
        AssertProblem(response, HttpStatusCode.Forbidden, "caa");
        Assert.That((await client.PostAsGetAsync(ready["url"]!.GetValue<string>())).Json!["status"]!.GetValue<string>(), Is.EqualTo("ready"));
    }

    [Test]
    public async Task Finalize_WithinEightHours_NoSecondLookup()
    {
        var client = await ClientAsync();
        var ready = await ReadyOrderAsync(client, "fresh@fresh.example.test");
        var before = Server.Caa.Queries.Count;
        await FinalizeAsync(client, ready, Csr("p256", "fresh@fresh.example.test"));
        Assert.That(Server.Caa.Queries, Has.Count.EqualTo(before));
    }

    [Test]
    public async Task NewOrder_SameDomainWithinLookupReuse_NoSecondClimb()
    {
        var client = await ClientAsync();
        Assert.That((await client.NewOrderAsync("a@reuse.example.test")).Status, Is.EqualTo(HttpStatusCode.Created));
        var after = Server.Caa.Queries.Count;

        Server.Time.Advance(TimeSpan.FromMinutes(4));
        Assert.That((await client.NewOrderAsync("b@reuse.example.test")).Status, Is.EqualTo(HttpStatusCode.Created));

        Assert.That(after, Is.EqualTo(3), "reuse.example.test, example.test, test");
        Assert.That(Server.Caa.Queries, Has.Count.EqualTo(after));
    }

    [Test]
    public async Task Finalize_ReusedAnswerOlderThanEightHours_CheckedAgainFromItsRetrieval()
    {
        var client = await ClientAsync();
        Assert.That((await client.NewOrderAsync("first@anchor.example.test")).Status, Is.EqualTo(HttpStatusCode.Created));
        Server.Time.Advance(TimeSpan.FromMinutes(4));
        var ready = await ReadyOrderAsync(client, "late@anchor.example.test");

        // Eight hours and a minute after the answers were retrieved, 7 h 57 min after this order's check reused them.
        Server.Time.Advance(TimeSpan.FromHours(8) - TimeSpan.FromMinutes(3));
        Server.Caa.Publish("anchor.example.test", "0 issuemail other-ca.example");
        var response = await client.FinalizeAsync(ready["finalize"]!.GetValue<string>(), Csr("p256", "late@anchor.example.test"));

        AssertProblem(response, HttpStatusCode.Forbidden, "caa");
    }
}

/// <summary>CAA with <c>Caa:LookupReuse</c> at zero: every check asks DNS.</summary>
public sealed class CaaWithoutReuseTests : EndToEndTestBase
{
    protected override string[] Settings => ["Acme:CaaIdentities:0=ca.example.test", "Caa:LookupReuse=00:00:00"];

    [Test]
    public async Task NewOrder_SameDomainAgain_ClimbsAgain()
    {
        var client = await ClientAsync();
        await client.NewOrderAsync("a@again.example.test");
        await client.NewOrderAsync("b@again.example.test");

        Assert.That(Server.Caa.Queries, Has.Count.EqualTo(6));
    }
}
