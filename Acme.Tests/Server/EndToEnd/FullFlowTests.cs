using System.Net;
using System.Text.Json.Nodes;
using Acme.Server.Storage;
using Acme.Server.Workflows;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Acme.Tests.Support;
using Acme.Validation.Outcomes;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>The whole RFC 8555 + RFC 8823 flow over HTTPS, through download and revocation.</summary>
public sealed class FullFlowTests : EndToEndTestBase
{
    [Test]
    public async Task Flow_TwoMailboxes_ReplyBeforePost_IssuesVerifiableCertificateAndRevokes()
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync("alice@users.example.test", "Bob@Users.Example.Test");
        Assert.That(order.Status, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(order.Location, Does.StartWith(Server.Urls.Base + "/order/"));
        Assert.That(order.Json!["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        Assert.That(order.Json["identifiers"]![1]!["value"]!.GetValue<string>(), Is.EqualTo("Bob@users.example.test"), "domain lower-cased, local part exact");
        Assert.That(order.Json["profile"]!.GetValue<string>(), Is.EqualTo("smime-mailbox-strict"));
        var authzUrls = order.Json["authorizations"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.That(authzUrls, Has.Count.EqualTo(2));

        var froms = new List<string>();
        foreach (var authzUrl in authzUrls)
        {
            var authz = await client.PostAsGetAsync(authzUrl);
            Assert.That(authz.Status, Is.EqualTo(HttpStatusCode.OK));
            var challenge = authz.Json!["challenges"]!.AsArray().Single()!;
            Assert.That(challenge["type"]!.GetValue<string>(), Is.EqualTo("email-reply-00"));
            Assert.That(challenge["status"]!.GetValue<string>(), Is.EqualTo("pending"));
            Assert.That(challenge["token"]!.GetValue<string>(), Does.Match("^[A-Za-z0-9_-]{22,}$"), "token-part2: >= 128 bits, unpadded base64url");
            Assert.That(challenge["from"]!.GetValue<string>(), Does.Match(@"^acme\+[0-9a-f]{20}@acme\.localhost$"));
            froms.Add(challenge["from"]!.GetValue<string>());
            var challengeUrl = challenge["url"]!.GetValue<string>();

            // The reply arrives before the client's POST: stored, challenge still pending.
            Assert.That(await ApplyReplyAsync(challengeUrl), Is.EqualTo(VerdictResult.StoredAwaitingClient));
            Assert.That((await client.PostAsGetAsync(challengeUrl)).Json!["status"]!.GetValue<string>(), Is.EqualTo("pending"));

            var posted = await client.PostAsync(challengeUrl, new JsonObject());
            Assert.That(posted.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(posted.Json!["status"]!.GetValue<string>(), Is.EqualTo("valid"));
            Assert.That(posted.Json["validated"], Is.Not.Null);
            Assert.That(posted.Links, Has.Some.Contains("rel=\"up\""));

            var validAuthz = await client.PostAsGetAsync(authzUrl);
            Assert.That(validAuthz.Json!["status"]!.GetValue<string>(), Is.EqualTo("valid"));
        }

        Assert.That(froms.Distinct().Count(), Is.EqualTo(2), "each challenge has its own from address");
        var ready = await client.PostAsGetAsync(order.Location!);
        Assert.That(ready.Json!["status"]!.GetValue<string>(), Is.EqualTo("ready"));

        var valid = await FinalizeAsync(client, ready.Json!, Csr("rsa2048", "alice@users.example.test", "Bob@users.example.test"));
        var certificateUrl = valid["certificate"]!.GetValue<string>();
        var download = await client.PostAsGetAsync(certificateUrl);
        Assert.That(download.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(download.ContentType, Does.StartWith("application/pem-certificate-chain"));
        Assert.That(download.Body, Does.Not.Contain("\n\n"), "RFC 8555 erratum 5983: one EOL between blocks");
        Assert.That(System.Text.RegularExpressions.Regex.Count(download.Body, "BEGIN CERTIFICATE"), Is.EqualTo(3), "leaf, issuing CA, root");

        VerifyWithOpenSsl(download.Body);

        var leaf = new X509CertificateParser().ReadCertificate(System.Text.Encoding.ASCII.GetBytes(download.Body));
        var revoke = await client.PostAsync(client.Url("revokeCert"), new JsonObject
        {
            ["certificate"] = Acme.Validation.Codecs.StrictBase64Url.Encode(leaf.GetEncoded()),
            ["reason"] = 4,
        });
        Assert.That(revoke.Status, Is.EqualTo(HttpStatusCode.OK), revoke.ToString());
        var again = await client.PostAsync(client.Url("revokeCert"), new JsonObject { ["certificate"] = Acme.Validation.Codecs.StrictBase64Url.Encode(leaf.GetEncoded()) });
        AssertProblem(again, HttpStatusCode.BadRequest, "alreadyRevoked");

        using var plain = new HttpClient();
        var crlBytes = await plain.GetByteArrayAsync(Server.Urls.CrlUrl);
        var crl = new X509CrlParser().ReadCrl(crlBytes);
        Assert.That(crl.GetRevokedCertificate(leaf.SerialNumber), Is.Not.Null, "the CRL lists the revoked serial");
    }

    [Test]
    public async Task Flow_PostBeforeReply_ProcessingWithRetryAfterThenValid()
    {
        var client = await ClientAsync("EdDSA");
        var order = await client.NewOrderAsync("carol@users.example.test");
        var authzUrl = order.Json!["authorizations"]![0]!.GetValue<string>();
        var challengeUrl = (await client.PostAsGetAsync(authzUrl)).Json!["challenges"]![0]!["url"]!.GetValue<string>();

        var posted = await client.PostAsync(challengeUrl, new JsonObject());
        Assert.That(posted.Json!["status"]!.GetValue<string>(), Is.EqualTo("processing"));
        Assert.That(posted.Headers.RetryAfter, Is.Not.Null, "RFC 8555 §8.2: Retry-After while processing");
        var repost = await client.PostAsync(challengeUrl, new JsonObject());
        Assert.That(repost.Json!["status"]!.GetValue<string>(), Is.EqualTo("processing"));

        Assert.That(await ApplyReplyAsync(challengeUrl), Is.EqualTo(VerdictResult.Valid));
        Assert.That((await client.PostAsGetAsync(authzUrl)).Json!["status"]!.GetValue<string>(), Is.EqualTo("valid"));
        Assert.That((await client.PostAsGetAsync(order.Location!)).Json!["status"]!.GetValue<string>(), Is.EqualTo("ready"));
    }

    [Test]
    public async Task Flow_FailedReply_ChallengeAuthorizationAndOrderInvalidWithReason()
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync("dave@users.example.test");
        var authzUrl = order.Json!["authorizations"]![0]!.GetValue<string>();
        var challengeUrl = (await client.PostAsGetAsync(authzUrl)).Json!["challenges"]![0]!["url"]!.GetValue<string>();

        var failure = new ValidationFailure(FailureKind.Unauthorized, "DKIM signature d=example.test does not match the From domain users.example.test");
        Assert.That(await ApplyReplyAsync(challengeUrl, failure), Is.EqualTo(VerdictResult.Invalid));
        Assert.That(await ApplyReplyAsync(challengeUrl), Is.EqualTo(VerdictResult.Ignored), "the first judged reply consumes the token");

        var challenge = (await client.PostAsGetAsync(challengeUrl)).Json!;
        Assert.That(challenge["status"]!.GetValue<string>(), Is.EqualTo("invalid"));
        Assert.That(challenge["error"]!["type"]!.GetValue<string>(), Is.EqualTo("urn:ietf:params:acme:error:unauthorized"));
        Assert.That(challenge["error"]!["detail"]!.GetValue<string>(), Does.Contain("d=example.test"));
        Assert.That((await client.PostAsGetAsync(authzUrl)).Json!["status"]!.GetValue<string>(), Is.EqualTo("invalid"));
        Assert.That((await client.PostAsGetAsync(order.Location!)).Json!["status"]!.GetValue<string>(), Is.EqualTo("invalid"));
    }

    [Test]
    public async Task Flow_PendingPastLifetime_AuthorizationExpiredOrderInvalid()
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync("erin@users.example.test");
        var authzUrl = order.Json!["authorizations"]![0]!.GetValue<string>();
        Server.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        Assert.That((await client.PostAsGetAsync(authzUrl)).Json!["status"]!.GetValue<string>(), Is.EqualTo("expired"));
        Assert.That((await client.PostAsGetAsync(order.Location!)).Json!["status"]!.GetValue<string>(), Is.EqualTo("invalid"));
    }

    [Test]
    public async Task Flow_VerifiedReplyAfterAuthorizationExpired_ChangesNothing()
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync("frank@users.example.test");
        var authzUrl = order.Json!["authorizations"]![0]!.GetValue<string>();
        var challengeUrl = (await client.PostAsGetAsync(authzUrl)).Json!["challenges"]![0]!["url"]!.GetValue<string>();
        Assert.That((await client.PostAsync(challengeUrl, new JsonObject())).Json!["status"]!.GetValue<string>(), Is.EqualTo("processing"));

        // The challenge mail goes out first (by this call or the background loop, they share a gate); an unsent
        // mail would be given up at the token's expiry and make the challenge invalid before the reply is judged.
        Server.Time.Advance(TimeSpan.FromSeconds(3));
        await Server.Services.GetRequiredService<ChallengeMailDispatcher>().RunOnceAsync(CancellationToken.None);
        var db = Server.Services.GetRequiredService<Database>();
        Assert.That(await db.ReadAsync(c => c.QuerySingleAsync<string>("SELECT status FROM challenge_mails"), CancellationToken.None), Is.EqualTo("sent"));

        Server.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        Assert.That(await ApplyReplyAsync(challengeUrl), Is.EqualTo(VerdictResult.AuthorizationClosed));

        var authz = (await client.PostAsGetAsync(authzUrl)).Json!;
        Assert.That(authz["status"]!.GetValue<string>(), Is.EqualTo("expired"), "a late reply must not revive an expired authorization");
        Assert.That(authz["challenges"]![0]!["status"]!.GetValue<string>(), Is.EqualTo("processing"));
        Assert.That((await client.PostAsGetAsync(order.Location!)).Json!["status"]!.GetValue<string>(), Is.EqualTo("invalid"));
    }

    [TestCase("p256", "smime-mailbox-strict")]
    [TestCase("ed25519", "smime-mailbox-multipurpose")]
    public async Task Flow_KeyTypesAndProfiles_CertificateVerifiesWithOpenSsl(string keyKind, string profile)
    {
        var client = await ClientAsync("ES384");
        var order = await client.PostAsync(client.Url("newOrder"), new JsonObject
        {
            ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "email", ["value"] = "frank@users.example.test" }),
            ["profile"] = profile,
        });
        Assert.That(order.Json!["profile"]!.GetValue<string>(), Is.EqualTo(profile));
        var challengeUrl = (await client.PostAsGetAsync(order.Json["authorizations"]![0]!.GetValue<string>())).Json!["challenges"]![0]!["url"]!.GetValue<string>();
        await ApplyReplyAsync(challengeUrl);
        await client.PostAsync(challengeUrl, new JsonObject());
        var ready = (await client.PostAsGetAsync(order.Location!)).Json!;
        var csr = keyKind == "ed25519"
            ? Support.Certificates.TestCsrBuilder.ForKey(Support.Certificates.TestKeys.Get(keyKind)).WithRfc822("frank@users.example.test")
                .WithKeyUsage(Org.BouncyCastle.Asn1.X509.KeyUsage.DigitalSignature).Build()
            : Csr(keyKind, "frank@users.example.test");
        var valid = await FinalizeAsync(client, ready, csr);
        var chain = (await client.PostAsGetAsync(valid["certificate"]!.GetValue<string>())).Body;
        VerifyWithOpenSsl(chain);
        var policy = profile == "smime-mailbox-strict" ? "2.23.140.1.5.1.3" : "2.23.140.1.5.1.2";
        var leaf = new X509CertificateParser().ReadCertificate(System.Text.Encoding.ASCII.GetBytes(chain));
        Assert.That(leaf.GetExtensionValue(Org.BouncyCastle.Asn1.X509.X509Extensions.CertificatePolicies), Is.Not.Null);
        Assert.That(leaf.ToString(), Does.Contain(policy));
    }

    private void VerifyWithOpenSsl(string chainPem)
    {
        var blocks = chainPem.Split("-----END CERTIFICATE-----\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(b => b + "-----END CERTIFICATE-----\n").ToList();
        var dir = Path.Combine(Server.DataDirectory, "verify-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "leaf.pem"), blocks[0]);
        File.WriteAllText(Path.Combine(dir, "issuing.pem"), blocks[1]);
        File.WriteAllText(Path.Combine(dir, "root.pem"), blocks[2]);
        var (code, output) = OpenSsl.Run("verify", "-x509_strict", "-purpose", "smimesign",
            "-CAfile", Path.Combine(dir, "root.pem"), "-untrusted", Path.Combine(dir, "issuing.pem"), Path.Combine(dir, "leaf.pem"));
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output.Trim(), Does.EndWith("OK"));
    }
}
