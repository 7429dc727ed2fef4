using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Acme.Tests.Support.Certificates;
using Acme.Validation.Codecs;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>ACME Renewal Information (RFC 9773): renewalInfo GET, replaces and alreadyReplaced.</summary>
public sealed class RenewalInfoTests : EndToEndTestBase
{
    private async Task<(AcmeTestClient Client, X509Certificate Leaf, string AriId)> IssueAsync(string mailbox)
    {
        var client = await ClientAsync();
        var ready = await ReadyOrderAsync(client, mailbox);
        var valid = await FinalizeAsync(client, ready, Csr("p256", mailbox));
        var chain = (await client.PostAsGetAsync(valid["certificate"]!.GetValue<string>())).Body;
        var leaf = new X509CertificateParser().ReadCertificate(Encoding.ASCII.GetBytes(chain));
        return (client, leaf, AriIds.Of(leaf));
    }

    private static JsonObject OrderReplacing(string mailbox, string ariId) => new()
    {
        ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "email", ["value"] = mailbox }),
        ["replaces"] = ariId,
    };

    [Test]
    public async Task RenewalInfo_ValidCertificate_WindowInLastThirdWithRetryAfter()
    {
        var (client, leaf, ariId) = await IssueAsync("ari@users.example.test");
        Assert.That(client.Directory["renewalInfo"]!.GetValue<string>(), Is.EqualTo(Server.Urls.Base + "/renewal-info"));
        var response = await client.GetAsync(client.Url("renewalInfo") + "/" + ariId);
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
        Assert.That(response.Headers.RetryAfter, Is.Not.Null);
        var start = DateTimeOffset.Parse(response.Json!["suggestedWindow"]!["start"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var end = DateTimeOffset.Parse(response.Json["suggestedWindow"]!["end"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var lifetime = leaf.NotAfter - leaf.NotBefore;
        Assert.That(end, Is.GreaterThan(start));
        Assert.That(start.UtcDateTime, Is.GreaterThan(leaf.NotBefore + lifetime / 2));
        Assert.That(end.UtcDateTime, Is.LessThan(leaf.NotAfter));
    }

    [Test]
    public async Task RenewalInfo_RevokedCertificate_WindowInThePast()
    {
        var (client, leaf, ariId) = await IssueAsync("ari2@users.example.test");
        await client.PostAsync(client.Url("revokeCert"), new JsonObject { ["certificate"] = StrictBase64Url.Encode(leaf.GetEncoded()), ["reason"] = 1 });
        var response = await client.GetAsync(client.Url("renewalInfo") + "/" + ariId);
        var end = DateTimeOffset.Parse(response.Json!["suggestedWindow"]!["end"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(end, Is.LessThan(Server.Time.GetUtcNow()));
    }

    [TestCase("AAAA.AAAA", HttpStatusCode.NotFound)]
    [TestCase("not-an-id", HttpStatusCode.BadRequest)]
    [TestCase("AAAA=.AAAA", HttpStatusCode.BadRequest)]
    public async Task RenewalInfo_UnknownOrMalformed_Problem(string id, HttpStatusCode status)
    {
        var client = await ClientAsync(register: false);
        AssertProblem(await client.GetAsync(client.Url("renewalInfo") + "/" + id), status, "malformed");
    }

    [Test]
    public async Task NewOrder_Replaces_EchoedThenSecondAlreadyReplaced()
    {
        var (client, _, ariId) = await IssueAsync("ari3@users.example.test");
        var first = await client.PostAsync(client.Url("newOrder"), OrderReplacing("ari3@users.example.test", ariId));
        Assert.That(first.Status, Is.EqualTo(HttpStatusCode.Created), first.ToString());
        Assert.That(first.Json!["replaces"]!.GetValue<string>(), Is.EqualTo(ariId));
        AssertProblem(await client.PostAsync(client.Url("newOrder"), OrderReplacing("ari3@users.example.test", ariId)), HttpStatusCode.Conflict, "alreadyReplaced");
    }

    [Test]
    public async Task NewOrder_ReplacesOtherAccountsCertificateOrOtherMailbox_Malformed()
    {
        var (_, _, ariId) = await IssueAsync("ari4@users.example.test");
        var stranger = await ClientAsync();
        AssertProblem(await stranger.PostAsync(stranger.Url("newOrder"), OrderReplacing("ari4@users.example.test", ariId)), HttpStatusCode.BadRequest, "malformed");
    }
}
