using Acme.Email.Dkim;
using Acme.Server.Hosting;
using Acme.Server.Issuance;

namespace Acme.Tests.Server.Hosting;

/// <summary>Issue 12 §1: outside Development, start-up refuses a server without its CA, DKIM key and public URLs.</summary>
public sealed class ProductionGuardTests
{
    private static AcmeServerOptions Acme(string? baseUrl = "https://acme.example.com", string? httpBaseUrl = "http://pki.example.com") =>
        new() { BaseUrl = baseUrl, HttpBaseUrl = httpBaseUrl };

    private static IssuanceOptions Ca(bool? allowInternal = null) =>
        new() { CaCertificatePath = "/etc/ca/issuing.pem", CaKeyPath = "/etc/ca/issuing.key", AllowInternalUrls = allowInternal };

    private static DkimSigningOptions Dkim(string keyPath = "/etc/dkim/acme.pem") => new() { KeyPath = keyPath };

    [Test]
    public void Check_EverythingConfigured_Passes() =>
        Assert.That(ProductionGuard.Check(Acme(), Ca(), Dkim()), Is.Empty);

    [Test]
    public void Check_NothingConfigured_NamesEverySetting()
    {
        var errors = ProductionGuard.Check(new AcmeServerOptions(), new IssuanceOptions(), new DkimSigningOptions());

        Assert.That(errors.Select(e => e.Split(' ')[0]), Is.EqualTo(new[] { "Issuance:CaCertificatePath", "Dkim:KeyPath", "Acme:BaseUrl", "Acme:HttpBaseUrl" }));
    }

    [TestCase("http://127.0.0.1:8080", "IP address")]
    [TestCase("http://[::1]:8080", "IP address")]
    [TestCase("http://203.0.113.7", "IP address")]
    [TestCase("http://8.8.8.8", "IP address")]
    [TestCase("http://localhost:8080", "not a public domain name")]
    [TestCase("http://pki.corp", "not a public domain name")]
    [TestCase("http://ca.example.test", "not a public domain name")]
    public void Check_HttpBaseUrlNotPublic_Refused(string url, string reason)
    {
        var errors = ProductionGuard.Check(Acme(httpBaseUrl: url), Ca(), Dkim());

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith("Acme:HttpBaseUrl").And.Contain(reason));
    }

    [Test]
    public void Check_PrivatePkiAllowsInternalNames_ButNotIpLiterals()
    {
        Assert.That(ProductionGuard.Check(Acme(httpBaseUrl: "http://pki.corp"), Ca(allowInternal: true), Dkim()), Is.Empty);
        Assert.That(ProductionGuard.Check(Acme(httpBaseUrl: "http://10.0.0.1"), Ca(allowInternal: true), Dkim()), Has.Count.EqualTo(1));
    }

    [Test]
    public void Check_ExplicitCertificateUrls_AreCheckedInsteadOfHttpBaseUrl()
    {
        var issuance = Ca();
        issuance.CrlUrl = "http://crl.example.com/issuing.crl";
        issuance.CaIssuersUrl = "http://localhost/issuing.cer";

        var errors = ProductionGuard.Check(Acme(httpBaseUrl: null), issuance, Dkim());

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith("Issuance:CaIssuersUrl"));
    }
}
