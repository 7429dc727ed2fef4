using System.Net;
using System.Text.Json.Nodes;
using Acme.Server.Storage;
using Acme.Tests.Support.Jose;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>Accounts (RFC 8555 §7.3): creation, lookup, contacts, deactivation, key roll-over, orders list.</summary>
public sealed class AccountTests : EndToEndTestBase
{
    protected override string[] Settings => ["Acme:OrdersPageSize=2", "Acme:TermsOfService=https://ca.example.test/terms"];

    [Test]
    public async Task NewAccount_Created201_ThenSameKey200WithLocation()
    {
        var client = await ClientAsync(register: false);
        var created = await client.NewAccountAsync(new JsonObject { ["termsOfServiceAgreed"] = true, ["contact"] = new JsonArray("mailto:admin@Example.TEST") });
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(created.Location, Does.StartWith(Server.Urls.Base + "/acct/"));
        Assert.That(created.Json!["status"]!.GetValue<string>(), Is.EqualTo("valid"));
        Assert.That(created.Json["contact"]![0]!.GetValue<string>(), Is.EqualTo("mailto:admin@example.test"));
        Assert.That(created.Json["orders"]!.GetValue<string>(), Is.EqualTo(created.Location + "/orders"));

        var again = await client.NewAccountAsync(new JsonObject { ["onlyReturnExisting"] = true });
        Assert.That(again.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(again.Location, Is.EqualTo(created.Location));
        Assert.That(again.Json!["onlyReturnExisting"], Is.Null, "not echoed");
    }

    [Test]
    public async Task NewAccount_OnlyReturnExistingUnknownKey_AccountDoesNotExist()
    {
        var client = await ClientAsync(register: false);
        AssertProblem(await client.NewAccountAsync(new JsonObject { ["onlyReturnExisting"] = true }), HttpStatusCode.BadRequest, "accountDoesNotExist");
    }

    [Test]
    public async Task NewAccount_TermsNotAgreed_Malformed()
    {
        var client = await ClientAsync(register: false);
        var response = await client.NewAccountAsync(new JsonObject());
        AssertProblem(response, HttpStatusCode.BadRequest, "malformed");
        Assert.That(response.Json!["detail"]!.GetValue<string>(), Does.Contain("terms"));
    }

    [TestCase("https://example.test", "unsupportedContact")]
    [TestCase("mailto:not-an-address", "invalidContact")]
    [TestCase("mailto:a@example.test,b@example.test", "invalidContact")]
    [TestCase("mailto:a@example.test?subject=x", "invalidContact")]
    public async Task NewAccount_BadContact_Refused(string contact, string type)
    {
        var client = await ClientAsync(register: false);
        var response = await client.NewAccountAsync(new JsonObject { ["termsOfServiceAgreed"] = true, ["contact"] = new JsonArray(contact) });
        AssertProblem(response, HttpStatusCode.BadRequest, type);
    }

    [Test]
    public async Task Account_UpdateContactsThenDeactivate_LaterRequests401()
    {
        var client = await ClientAsync();
        var updated = await client.PostAsync(client.AccountUrl!, new JsonObject { ["contact"] = new JsonArray("mailto:new@example.test") });
        Assert.That(updated.Json!["contact"]![0]!.GetValue<string>(), Is.EqualTo("mailto:new@example.test"));
        var fetched = await client.PostAsGetAsync(client.AccountUrl!);
        Assert.That(fetched.Json!["contact"]![0]!.GetValue<string>(), Is.EqualTo("mailto:new@example.test"));

        AssertProblem(await client.PostAsync(client.AccountUrl!, new JsonObject { ["status"] = "revoked" }), HttpStatusCode.BadRequest, "malformed");
        var deactivated = await client.PostAsync(client.AccountUrl!, new JsonObject { ["status"] = "deactivated" });
        Assert.That(deactivated.Json!["status"]!.GetValue<string>(), Is.EqualTo("deactivated"));
        AssertProblem(await client.NewOrderAsync("a@users.example.test"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Test]
    public async Task Account_DeactivatedByClient_PendingAuthorizationsAndOrdersEnd()
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync("pending@users.example.test");
        Assert.That(order.Json!["status"]!.GetValue<string>(), Is.EqualTo("pending"));

        await client.PostAsync(client.AccountUrl!, new JsonObject { ["status"] = "deactivated" });

        // RFC 8555 §7.3.6: the server SHOULD cancel pending operations authorized by the account's key.
        var db = Server.Services.GetRequiredService<Acme.Server.Storage.Database>();
        var statuses = await db.ReadAsync(async c => (
            Authorization: await Dapper.SqlMapper.ExecuteScalarAsync<string>(c, "SELECT status FROM authorizations"),
            Order: await Dapper.SqlMapper.ExecuteScalarAsync<string>(c, "SELECT status FROM orders")), CancellationToken.None);
        Assert.That(statuses, Is.EqualTo(("deactivated", "invalid")));
    }

    [Test]
    public async Task Account_OtherAccountsUrl_Unauthorized()
    {
        var first = await ClientAsync();
        var second = await ClientAsync();
        AssertProblem(await second.PostAsGetAsync(first.AccountUrl!), HttpStatusCode.Forbidden, "unauthorized");
    }

    [Test]
    public async Task KeyChange_Valid_NewKeyWorksOldKeyNot()
    {
        var client = await ClientAsync("ES256");
        var oldKey = client.Key;
        using var newKey = TestAccountKey.Create("RS256");
        var response = await client.PostAsync(client.Url("keyChange"), InnerKeyChange(client, oldKey, newKey, client.Url("keyChange")));
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());

        client.ReplaceKey(newKey);
        Assert.That((await client.PostAsGetAsync(client.AccountUrl!)).Status, Is.EqualTo(HttpStatusCode.OK));
        client.ReplaceKey(oldKey);
        AssertProblem(await client.PostAsGetAsync(client.AccountUrl!), HttpStatusCode.BadRequest, "malformed");
    }

    [Test]
    public async Task KeyChange_NewKeyOfAnotherAccount_409WithLocation()
    {
        var client = await ClientAsync();
        var other = await ClientAsync("ES384");
        var response = await client.PostAsync(client.Url("keyChange"), InnerKeyChange(client, client.Key, other.Key, client.Url("keyChange")));
        AssertProblem(response, HttpStatusCode.Conflict, "malformed");
        Assert.That(response.Location, Is.EqualTo(other.AccountUrl));
    }

    [Test]
    public async Task KeyChange_InnerUrlDiffers_Malformed()
    {
        var client = await ClientAsync();
        using var newKey = TestAccountKey.Create("ES256");
        var response = await client.PostAsync(client.Url("keyChange"), InnerKeyChange(client, client.Key, newKey, client.Url("newOrder")));
        AssertProblem(response, HttpStatusCode.BadRequest, "malformed");
    }

    [Test]
    public async Task KeyChange_WrongOldKey_Unauthorized()
    {
        var client = await ClientAsync();
        using var stranger = TestAccountKey.Create("ES256");
        using var newKey = TestAccountKey.Create("ES256");
        var response = await client.PostAsync(client.Url("keyChange"), InnerKeyChange(client, stranger, newKey, client.Url("keyChange")));
        AssertProblem(response, HttpStatusCode.Forbidden, "unauthorized");
    }

    [Test]
    public async Task OrdersList_PagesWithLinkNext()
    {
        var client = await ClientAsync();
        var created = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            created.Add((await client.NewOrderAsync($"user{i}@users.example.test")).Location!);
            Server.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var ordersUrl = (await client.PostAsGetAsync(client.AccountUrl!)).Json!["orders"]!.GetValue<string>();
        var page1 = await client.PostAsGetAsync(ordersUrl);
        var next = page1.Links.Single(l => l.Contains("rel=\"next\""));
        var nextUrl = next[(next.IndexOf('<') + 1)..next.IndexOf('>')];
        var page2 = await client.PostAsGetAsync(nextUrl);
        var all = page1.Json!["orders"]!.AsArray().Concat(page2.Json!["orders"]!.AsArray()).Select(o => o!.GetValue<string>()).ToList();
        Assert.That(page1.Json["orders"]!.AsArray(), Has.Count.EqualTo(2));
        Assert.That(page2.Links.Any(l => l.Contains("rel=\"next\"")), Is.False);
        Assert.That(all, Is.EquivalentTo(created));
    }

    [Test]
    public async Task ExternalAccountBinding_ValidKey_BoundAndEchoed_ThenReuseRefused()
    {
        var hmac = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var db = Server.Services.GetRequiredService<Database>();
        var accounts = Server.Services.GetRequiredService<IAccountStore>();
        await db.WriteAsync(async (c, tx) =>
        {
            await accounts.InsertEabKeyAsync(c, tx, new EabKeyRow { KeyId = "kid-1", HmacKey = hmac, Algorithm = "HS256", CreatedAt = 0 });
            return true;
        }, CancellationToken.None);

        var client = await ClientAsync(register: false);
        var eab = JwsBuilder.ExternalAccountBinding("HS256", "kid-1", hmac, client.Key, client.Url("newAccount"));
        var created = await client.NewAccountAsync(new JsonObject { ["termsOfServiceAgreed"] = true, ["externalAccountBinding"] = eab });
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.ToString());
        Assert.That(created.Json!["externalAccountBinding"], Is.Not.Null);

        var second = await ClientAsync(register: false);
        var reuse = JwsBuilder.ExternalAccountBinding("HS256", "kid-1", hmac, second.Key, second.Url("newAccount"));
        AssertProblem(await second.NewAccountAsync(new JsonObject { ["termsOfServiceAgreed"] = true, ["externalAccountBinding"] = reuse }),
            HttpStatusCode.Forbidden, "unauthorized");

        var wrongMac = JwsBuilder.ExternalAccountBinding("HS256", "kid-1", new byte[32], second.Key, second.Url("newAccount"));
        AssertProblem(await second.NewAccountAsync(new JsonObject { ["termsOfServiceAgreed"] = true, ["externalAccountBinding"] = wrongMac }),
            HttpStatusCode.Forbidden, "unauthorized");
    }

    private static JsonObject InnerKeyChange(AcmeTestClient client, TestAccountKey oldKey, TestAccountKey newKey, string url)
    {
        var header = new JsonObject { ["alg"] = newKey.Algorithm, ["jwk"] = newKey.PublicJwk(), ["url"] = url };
        var payload = new JsonObject { ["account"] = client.AccountUrl, ["oldKey"] = oldKey.PublicJwk() };
        return JsonNode.Parse(JwsBuilder.Sign(newKey, header, payload.ToJsonString()))!.AsObject();
    }
}
