using System.Net;
using System.Text.Json.Nodes;
using Acme.Validation.Codecs;
using Acme.Tests.Support.Observability;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// <c>/metrics</c> after a real issuance: every family moves at the point where its event happens, and a
/// second server in the same process keeps numbers of its own.
/// </summary>
public sealed class MetricsTests : EndToEndTestBase
{
    // Nothing sends the queued mail behind the test's back.
    protected override string[] Settings => ["Mail:RunInBackground=false"];

    private Task<PrometheusScrape> ScrapeAsync() => PrometheusScrape.FetchAsync(Http, Server.Urls.Base + "/metrics");

    [Test]
    public async Task Metrics_AfterIssuanceAndRevocation_CountersMove()
    {
        var before = await ScrapeAsync();
        Assert.That(before.Text, Does.Contain("# TYPE acme_certificates_issued_total counter"));
        Assert.That(before["acme_certificates_issued_total"], Is.Zero);

        var client = await ClientAsync();
        var ready = await ReadyOrderAsync(client, "erin@example.test");
        var valid = await FinalizeAsync(client, ready, Csr("rsa2048", "erin@example.test"));
        var chain = (await client.PostAsGetAsync(valid["certificate"]!.GetValue<string>())).Body;
        var der = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(System.Text.Encoding.ASCII.GetBytes(chain)).GetEncoded();
        var revoked = await client.PostAsync(client.Url("revokeCert"), new JsonObject { ["certificate"] = StrictBase64Url.Encode(der) });
        Assert.That(revoked.Status, Is.EqualTo(HttpStatusCode.OK), revoked.ToString());
        AssertProblem(await client.PostSignedAsync(client.Url("newOrder"), client.Header(client.Url("newOrder"), "bm90LWlzc3VlZA", false), "{}"),
            HttpStatusCode.BadRequest, "badNonce");

        var after = await ScrapeAsync();
        Assert.Multiple(() =>
        {
            Assert.That(after["acme_certificates_issued_total"], Is.EqualTo(1));
            Assert.That(after["acme_certificates_revoked_total"], Is.EqualTo(1));
            Assert.That(after["""acme_status_changes_total{resource="order",from="none",to="pending"}"""], Is.EqualTo(1));
            Assert.That(after["""acme_status_changes_total{resource="order",from="pending",to="ready"}"""], Is.EqualTo(1));
            Assert.That(after["""acme_status_changes_total{resource="order",from="ready",to="processing"}"""], Is.EqualTo(1));
            Assert.That(after["""acme_status_changes_total{resource="order",from="processing",to="valid"}"""], Is.EqualTo(1));
            Assert.That(after["""acme_status_changes_total{resource="authorization",from="pending",to="valid"}"""], Is.EqualTo(1));
            Assert.That(after["""acme_status_changes_total{resource="challenge",from="pending",to="valid"}"""], Is.EqualTo(1));
            Assert.That(after["""acme_status_changes_total{resource="certificate",from="valid",to="revoked"}"""], Is.EqualTo(1));
            Assert.That(after["""acme_validations_total{outcome="stored_awaiting_client",failure_kind="none"}"""], Is.EqualTo(1));
            Assert.That(after["""acme_challenge_mails_total{event="queued"}"""], Is.EqualTo(1), "fetching the authorization queued its mail");
            Assert.That(after["acme_challenge_mail_oldest_waiting_age_seconds"], Is.LessThan(0.01), "the fake clock has not moved (stored times are whole milliseconds)");
            Assert.That(after["acme_nonces_issued_total"], Is.GreaterThan(5));
            Assert.That(after["""acme_nonces_refused_total{reason="unknown_expired_or_used"}"""], Is.EqualTo(1));
            Assert.That(after["""acme_http_request_duration_seconds_count{endpoint="/new-order",method="POST",status="201"}"""], Is.EqualTo(1));
            Assert.That(after["""acme_http_request_duration_seconds_count{endpoint="/order/{id}/finalize",method="POST",status="200"}"""], Is.EqualTo(1));
            Assert.That(after.Sum("acme_http_request_duration_seconds_count", "status=\"400\""), Is.EqualTo(1), "the badNonce refusal");
        });
    }

    [Test]
    public async Task Metrics_QueuedMailAges_WithTheClock()
    {
        var client = await ClientAsync();
        var order = await client.NewOrderAsync("frank@example.test");
        await client.PostAsGetAsync(order.Json!["authorizations"]![0]!.GetValue<string>());
        Server.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.That((await ScrapeAsync())["acme_challenge_mail_oldest_waiting_age_seconds"], Is.EqualTo(120).Within(0.01));
    }

    [Test]
    public async Task Metrics_TwoServersInOneProcess_EachCountsOnlyItsOwn()
    {
        await using var other = await RunningAcmeServer.StartAsync(Support.Storage.StorageMatrixAttribute.SettingsForCurrentTest());
        using var otherHttp = other.CreateHttpClient();
        var client = await ClientAsync();
        var ready = await ReadyOrderAsync(client, "grace@example.test");
        await FinalizeAsync(client, ready, Csr("rsa2048", "grace@example.test"));

        Assert.That((await ScrapeAsync())["acme_certificates_issued_total"], Is.EqualTo(1));
        var others = await PrometheusScrape.FetchAsync(otherHttp, other.Urls.Base + "/metrics");
        Assert.That(others["acme_certificates_issued_total"], Is.Zero);
        Assert.That(others.Sum("acme_http_request_duration_seconds_count", "endpoint=\"/new-order\""), Is.Zero);
    }
}
