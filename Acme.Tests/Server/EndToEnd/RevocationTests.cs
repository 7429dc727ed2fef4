using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Acme.Tests.Support.Certificates;
using Acme.Tests.Support.Jose;
using Acme.Validation.Codecs;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>revokeCert (RFC 8555 §7.6) in its three modes and its refusals.</summary>
public sealed class RevocationTests : EndToEndTestBase
{
    private async Task<(AcmeTestClient Owner, byte[] Der)> IssueAsync(string mailbox, string keyKind = "p256")
    {
        var owner = await ClientAsync();
        var ready = await ReadyOrderAsync(owner, mailbox);
        var valid = await FinalizeAsync(owner, ready, Csr(keyKind, mailbox));
        var chain = (await owner.PostAsGetAsync(valid["certificate"]!.GetValue<string>())).Body;
        return (owner, new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(Encoding.ASCII.GetBytes(chain)).GetEncoded());
    }

    private static JsonObject Payload(byte[] der, int? reason = null)
    {
        var payload = new JsonObject { ["certificate"] = StrictBase64Url.Encode(der) };
        if (reason is { } r)
        {
            payload["reason"] = r;
        }

        return payload;
    }

    [Test]
    public async Task Revoke_ByCertificateKeyWithJwk_Revoked()
    {
        var (owner, der) = await IssueAsync("r@users.example.test", "ed25519");
        using var certKey = TestAccountKey.FromKeyPair(TestKeys.Get("ed25519"));
        var client = new AcmeTestClient(Http, Server.DirectoryUrl, certKey);
        await client.InitializeAsync();
        var response = await client.PostAsync(owner.Url("revokeCert"), Payload(der, 1), useJwk: true);
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
    }

    [Test]
    public async Task Revoke_ByJwkOfAnotherKey_Unauthorized()
    {
        var (owner, der) = await IssueAsync("s@users.example.test");
        var client = await ClientAsync("ES256", register: false);
        AssertProblem(await client.PostAsync(owner.Url("revokeCert"), Payload(der), useJwk: true), HttpStatusCode.Forbidden, "unauthorized");
    }

    [Test]
    public async Task Revoke_ByAccountHoldingValidAuthorizations_Revoked()
    {
        var (owner, der) = await IssueAsync("t@users.example.test");
        var other = await ClientAsync();
        AssertProblem(await other.PostAsync(owner.Url("revokeCert"), Payload(der)), HttpStatusCode.Forbidden, "unauthorized");
        await ReadyOrderAsync(other, "t@users.example.test");
        var response = await other.PostAsync(owner.Url("revokeCert"), Payload(der));
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
    }

    [TestCase(2)]
    [TestCase(6)]
    [TestCase(8)]
    [TestCase(11)]
    public async Task Revoke_ReasonNotAllowed_BadRevocationReason(int reason)
    {
        var (owner, der) = await IssueAsync("u@users.example.test");
        AssertProblem(await owner.PostAsync(owner.Url("revokeCert"), Payload(der, reason)), HttpStatusCode.BadRequest, "badRevocationReason");
    }

    [Test]
    public async Task Revoke_NotACertificate_Malformed()
    {
        var (owner, _) = await IssueAsync("v@users.example.test");
        var foreign = TestCsrBuilder.ForKey(TestKeys.Get("p256")).WithRfc822("v@users.example.test").Build();
        AssertProblem(await owner.PostAsync(owner.Url("revokeCert"), Payload(foreign)), HttpStatusCode.BadRequest, "malformed");
    }
}
