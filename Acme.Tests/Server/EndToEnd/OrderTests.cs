using System.Net;
using System.Text.Json.Nodes;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>newOrder refusals and policy (RFC 8555 §7.4, RFC 8823 §3), authorization reuse and deactivation.</summary>
public sealed class OrderTests : EndToEndTestBase
{
    [Test]
    public async Task NewOrder_DnsAndIpIdentifiers_UnsupportedIdentifierWithSubproblems()
    {
        var client = await ClientAsync();
        var response = await client.PostAsync(client.Url("newOrder"), new JsonObject
        {
            ["identifiers"] = new JsonArray(
                new JsonObject { ["type"] = "dns", ["value"] = "example.test" },
                new JsonObject { ["type"] = "ip", ["value"] = "192.0.2.1" }),
        });
        AssertProblem(response, HttpStatusCode.BadRequest, "unsupportedIdentifier");
        var subproblems = response.Json!["subproblems"]!.AsArray();
        Assert.That(subproblems.Select(s => s!["identifier"]!["value"]!.GetValue<string>()), Is.EqualTo(new[] { "example.test", "192.0.2.1" }));
        Assert.That(subproblems.Select(s => s!["identifier"]!["type"]!.GetValue<string>()), Is.EqualTo(new[] { "dns", "ip" }));
    }

    [Test]
    public async Task NewOrder_WildcardMalformedAndDuplicate_EachNamedInSubproblems()
    {
        var client = await ClientAsync();
        var response = await client.NewOrderAsync("*@users.example.test", "not-an-address", "ok@users.example.test", "ok@USERS.example.test");
        AssertProblem(response, HttpStatusCode.BadRequest, "rejectedIdentifier");
        var subproblems = response.Json!["subproblems"]!.AsArray();
        Assert.That(subproblems, Has.Count.EqualTo(3));
        Assert.That(subproblems[0]!["detail"]!.GetValue<string>(), Does.Contain("wildcard"));
        Assert.That(subproblems[2]!["type"]!.GetValue<string>(), Is.EqualTo("urn:ietf:params:acme:error:malformed"));
        Assert.That(subproblems[2]!["identifier"]!["value"]!.GetValue<string>(), Is.EqualTo("ok@USERS.example.test"));
    }

    [Test]
    public async Task NewOrder_EmptyIdentifiers_Malformed()
    {
        var client = await ClientAsync();
        AssertProblem(await client.PostAsync(client.Url("newOrder"), new JsonObject { ["identifiers"] = new JsonArray() }), HttpStatusCode.BadRequest, "malformed");
    }

    [Test]
    public async Task NewOrder_UnknownProfile_InvalidProfile()
    {
        var client = await ClientAsync();
        var response = await client.PostAsync(client.Url("newOrder"), new JsonObject
        {
            ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "email", ["value"] = "a@users.example.test" }),
            ["profile"] = "tlsserver",
        });
        AssertProblem(response, HttpStatusCode.BadRequest, "invalidProfile");
    }

    [TestCase(null, 800, "exceeds")]
    [TestCase(-2, 30, "between now")]
    [TestCase(5, 3, "later than")]
    public async Task NewOrder_ValidityOutsidePolicy_MalformedNamingWhy(int? notBeforeDays, int notAfterDays, string reason)
    {
        var client = await ClientAsync();
        var now = Server.Time.GetUtcNow();
        var payload = new JsonObject
        {
            ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "email", ["value"] = "a@users.example.test" }),
            ["notAfter"] = Acme.Server.Protocol.AcmeTime.Format(now.AddDays(notAfterDays)),
        };
        if (notBeforeDays is { } nb)
        {
            payload["notBefore"] = Acme.Server.Protocol.AcmeTime.Format(now.AddDays(nb));
        }

        var response = await client.PostAsync(client.Url("newOrder"), payload);
        AssertProblem(response, HttpStatusCode.BadRequest, "malformed");
        Assert.That(response.Json!["detail"]!.GetValue<string>(), Does.Contain(reason));
    }

    [Test]
    public async Task NewOrder_NotAfterWithinPolicy_HonouredInCertificate()
    {
        var client = await ClientAsync();
        var notAfter = Server.Time.GetUtcNow().AddDays(90);
        var order = await client.PostAsync(client.Url("newOrder"), new JsonObject
        {
            ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "email", ["value"] = "g@users.example.test" }),
            ["notAfter"] = Acme.Server.Protocol.AcmeTime.Format(notAfter),
        });
        Assert.That(order.Json!["notAfter"]!.GetValue<string>(), Is.EqualTo(Acme.Server.Protocol.AcmeTime.Format(notAfter)));
        var challengeUrl = (await client.PostAsGetAsync(order.Json["authorizations"]![0]!.GetValue<string>())).Json!["challenges"]![0]!["url"]!.GetValue<string>();
        await ApplyReplyAsync(challengeUrl);
        await client.PostAsync(challengeUrl, new JsonObject());
        var valid = await FinalizeAsync(client, (await client.PostAsGetAsync(order.Location!)).Json!, Csr("p256", "g@users.example.test"));
        var chain = (await client.PostAsGetAsync(valid["certificate"]!.GetValue<string>())).Body;
        var leaf = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(System.Text.Encoding.ASCII.GetBytes(chain));
        Assert.That(Math.Abs((leaf.NotAfter - notAfter.UtcDateTime).TotalSeconds), Is.LessThan(2));
    }

    [Test]
    public async Task NewOrder_MailboxValidatedBefore_ReusesAuthorizationAndStartsReady()
    {
        var client = await ClientAsync();
        var first = await ReadyOrderAsync(client, "h@users.example.test");
        var second = await client.NewOrderAsync("h@users.example.test");
        Assert.That(second.Json!["status"]!.GetValue<string>(), Is.EqualTo("ready"));
        Assert.That(second.Json["authorizations"]![0]!.GetValue<string>(), Is.EqualTo(first["authorizations"]![0]!.GetValue<string>()));

        Server.Time.Advance(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));
        var third = await client.NewOrderAsync("h@users.example.test");
        Assert.That(third.Json!["status"]!.GetValue<string>(), Is.EqualTo("pending"), "reuse ends after 30 days");
    }

    [Test]
    public async Task NewOrder_PendingAuthorization_NotReused()
    {
        var client = await ClientAsync();
        var first = await client.NewOrderAsync("i@users.example.test");
        var second = await client.NewOrderAsync("i@users.example.test");
        Assert.That(second.Json!["authorizations"]![0]!.GetValue<string>(), Is.Not.EqualTo(first.Json!["authorizations"]![0]!.GetValue<string>()),
            "SBR 3.2.2.4: a Random Value is never reused for another certificate request");
    }

    [Test]
    public async Task Authorization_Deactivated_OrderInvalid()
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync("j@users.example.test");
        var authzUrl = order.Json!["authorizations"]![0]!.GetValue<string>();
        var deactivated = await client.PostAsync(authzUrl, new JsonObject { ["status"] = "deactivated" });
        Assert.That(deactivated.Json!["status"]!.GetValue<string>(), Is.EqualTo("deactivated"));
        Assert.That((await client.PostAsGetAsync(order.Location!)).Json!["status"]!.GetValue<string>(), Is.EqualTo("invalid"));
        AssertProblem(await client.PostAsync(authzUrl, new JsonObject { ["status"] = "deactivated" }), HttpStatusCode.BadRequest, "malformed");
    }

    [Test]
    public async Task Resources_OfAnotherAccount_NotFound()
    {
        var owner = await ClientAsync();
        var stranger = await ClientAsync();
        var order = await owner.NewOrderAsync("k@users.example.test");
        AssertProblem(await stranger.PostAsGetAsync(order.Location!), HttpStatusCode.NotFound, "malformed");
        AssertProblem(await stranger.PostAsGetAsync(order.Json!["authorizations"]![0]!.GetValue<string>()), HttpStatusCode.NotFound, "malformed");
    }
}
