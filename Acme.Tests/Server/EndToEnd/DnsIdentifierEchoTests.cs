using System.Net;
using System.Text.Json.Nodes;
using Acme.Validation.Outcomes;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// With the acme_email switch every resource shows the identifier type the client sent: python3-acme 2.1
/// (certbot's ACME library, acme_email's runtime) cannot read an identifier type it does not know, so an
/// <c>email</c> anywhere in an answer to a <c>dns</c> order stops certbot right after newOrder.
/// </summary>
public sealed class DnsIdentifierEchoTests : EndToEndTestBase
{
    private const string Alice = "alice@users.example.test";
    private const string Bob = "bob@users.example.test";

    protected override string[] Settings => ["Acme:RewriteDnsIdentifiersWithAt=true", "Acme:CaaIdentities:0=ca.example.test"];

    private static JsonObject Identifier(string type, string value) => new() { ["type"] = type, ["value"] = value };

    private static Task<AcmeResponse> OrderAsync(AcmeTestClient client, params JsonObject[] identifiers) =>
        client.PostAsync(client.Url("newOrder"), new JsonObject { ["identifiers"] = new JsonArray(identifiers) });

    private static string TypeOf(JsonNode? identifier) => identifier!["type"]!.GetValue<string>();

    private static IEnumerable<string> AuthorizationUrls(JsonNode order) =>
        order["authorizations"]!.AsArray().Select(a => a!.GetValue<string>());

    [Test]
    public async Task DnsOrder_OrderAuthorizationAndChallengeErrorShowDns()
    {
        var client = await ClientAsync();
        var created = await OrderAsync(client, Identifier("dns", Alice));
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.ToString());
        var authzUrl = AuthorizationUrls(created.Json!).Single();
        var authz = (await client.PostAsGetAsync(authzUrl)).Json!;
        var challengeUrl = authz["challenges"]![0]!["url"]!.GetValue<string>();
        await ApplyReplyAsync(challengeUrl, new ValidationFailure(FailureKind.Connection, "mailbox unreachable") { Identifier = Alice });

        var fetched = (await client.PostAsGetAsync(created.Location!)).Json!;
        var invalid = (await client.PostAsGetAsync(authzUrl)).Json!;
        var challenge = (await client.PostAsGetAsync(challengeUrl)).Json!;

        Assert.Multiple(() =>
        {
            Assert.That(TypeOf(created.Json!["identifiers"]![0]), Is.EqualTo("dns"), "newOrder answer");
            Assert.That(created.Json!["identifiers"]![0]!["value"]!.GetValue<string>(), Is.EqualTo(Alice));
            Assert.That(TypeOf(fetched["identifiers"]![0]), Is.EqualTo("dns"), "order fetched again");
            Assert.That(TypeOf(authz["identifier"]), Is.EqualTo("dns"), "authorization");
            Assert.That(TypeOf(invalid["challenges"]![0]!["error"]!["identifier"]), Is.EqualTo("dns"), "challenge error inside the authorization");
            Assert.That(TypeOf(challenge["error"]!["identifier"]), Is.EqualTo("dns"), "challenge resource");
        });
    }

    [Test]
    public async Task DnsOrder_ReadyAndFinalized_StillShowsDns()
    {
        var client = await ClientAsync();
        var created = await OrderAsync(client, Identifier("dns", Alice));
        var challengeUrl = (await client.PostAsGetAsync(AuthorizationUrls(created.Json!).Single())).Json!["challenges"]![0]!["url"]!.GetValue<string>();
        await ApplyReplyAsync(challengeUrl);
        var posted = await client.PostAsync(challengeUrl, new JsonObject());
        var ready = (await client.PostAsGetAsync(created.Location!)).Json!;

        var valid = await FinalizeAsync(client, ready, Csr("p256", Alice));

        Assert.Multiple(() =>
        {
            Assert.That(posted.Json!["status"]!.GetValue<string>(), Is.EqualTo("valid"), posted.ToString());
            Assert.That(TypeOf(ready["identifiers"]![0]), Is.EqualTo("dns"));
            Assert.That(TypeOf(valid["identifiers"]![0]), Is.EqualTo("dns"), "the finalize answer");
        });
    }

    [Test]
    public async Task MixedOrder_EachIdentifierShowsItsOwnType()
    {
        var client = await ClientAsync();
        var created = await OrderAsync(client, Identifier("email", Alice), Identifier("dns", Bob));
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.ToString());
        var authzTypes = new Dictionary<string, string>();
        foreach (var url in AuthorizationUrls(created.Json!))
        {
            var authz = (await client.PostAsGetAsync(url)).Json!;
            authzTypes[authz["identifier"]!["value"]!.GetValue<string>()] = TypeOf(authz["identifier"]);
        }

        Assert.Multiple(() =>
        {
            Assert.That(created.Json!["identifiers"]!.AsArray().Select(TypeOf), Is.EqualTo(new[] { "email", "dns" }));
            Assert.That(authzTypes, Is.EqualTo(new Dictionary<string, string> { [Alice] = "email", [Bob] = "dns" }));
        });
    }

    /// <summary>
    /// The same account validated the mailbox through a dns order, then orders it as email: a valid authorization is
    /// reused only by an order of the same type, so neither client is ever shown the other type (a python3-acme client
    /// could not read an email-typed authorization). The second order gets its own authorization and challenge mail.
    /// </summary>
    [Test]
    public async Task SameMailboxAsDnsThenEmail_EachOrderAndAuthorizationShowsItsOwnType()
    {
        var client = await ClientAsync();
        var first = await OrderAsync(client, Identifier("dns", Alice));
        var firstAuthz = AuthorizationUrls(first.Json!).Single();
        var challengeUrl = (await client.PostAsGetAsync(firstAuthz)).Json!["challenges"]![0]!["url"]!.GetValue<string>();
        await ApplyReplyAsync(challengeUrl);
        await client.PostAsync(challengeUrl, new JsonObject());

        var second = await OrderAsync(client, Identifier("email", Alice));
        var secondAuthz = AuthorizationUrls(second.Json!).Single();
        var third = await OrderAsync(client, Identifier("dns", Alice));

        Assert.Multiple(async () =>
        {
            Assert.That(TypeOf(second.Json!["identifiers"]![0]), Is.EqualTo("email"));
            Assert.That(second.Json!["status"]!.GetValue<string>(), Is.EqualTo("pending"), "the dns-typed authorization is not reused");
            Assert.That(secondAuthz, Is.Not.EqualTo(firstAuthz));
            Assert.That(TypeOf((await client.PostAsGetAsync(secondAuthz)).Json!["identifier"]), Is.EqualTo("email"));
            Assert.That(TypeOf((await client.PostAsGetAsync(firstAuthz)).Json!["identifier"]), Is.EqualTo("dns"));
            Assert.That(TypeOf((await client.PostAsGetAsync(first.Location!)).Json!["identifiers"]![0]), Is.EqualTo("dns"));
            Assert.That(AuthorizationUrls(third.Json!).Single(), Is.EqualTo(firstAuthz), "a second dns order reuses the valid dns authorization");
            Assert.That(third.Json!["status"]!.GetValue<string>(), Is.EqualTo("ready"));
        });
    }

    [Test]
    public async Task DnsOrder_CaaRefusal_SubproblemShowsDns()
    {
        Server.Caa.Publish("denied.example.test", "0 issuemail other-ca.example");
        var client = await ClientAsync();

        var refused = await OrderAsync(client, Identifier("dns", "x@denied.example.test"));

        AssertProblem(refused, HttpStatusCode.Forbidden, "caa");
        var sub = refused.Json!["subproblems"]!.AsArray().Single()!;
        Assert.That(TypeOf(sub["identifier"]), Is.EqualTo("dns"));
        Assert.That(sub["identifier"]!["value"]!.GetValue<string>(), Is.EqualTo("x@denied.example.test"));
    }
}
