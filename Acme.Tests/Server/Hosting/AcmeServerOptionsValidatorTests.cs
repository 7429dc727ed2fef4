using Acme.Server.Hosting;
using Acme.Server.Issuance;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.FileProviders;

namespace Acme.Tests.Server.Hosting;

public sealed class AcmeServerOptionsValidatorTests
{
    private sealed class Env(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "test";
        public string ContentRootPath { get; set; } = ".";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private static IEnumerable<string> Errors(Action<AcmeServerOptions> change, string environment = "Production")
    {
        var options = new AcmeServerOptions();
        change(options);
        var result = new AcmeServerOptionsValidator(new Env(environment)).Validate(null, options);
        return result.Failures ?? [];
    }

    [Test]
    public void Validate_Defaults_Pass() => Assert.That(Errors(_ => { }), Is.Empty);

    [TestCase("PendingAuthorizationLifetime", "Acme:PendingAuthorizationLifetime")]
    [TestCase("ValidAuthorizationLifetime", "Acme:ValidAuthorizationLifetime")]
    [TestCase("ChallengeMailbox", "Acme:ChallengeMailbox")]
    [TestCase("HttpBaseUrl", "Acme:HttpBaseUrl")]
    [TestCase("DefaultProfile", "Acme:DefaultProfile")]
    [TestCase("NonceRejectPercent", "Acme:NonceRejectPercent")]
    public void Validate_BadSetting_NamesIt(string setting, string named)
    {
        var errors = Errors(o =>
        {
            switch (setting)
            {
                case "PendingAuthorizationLifetime": o.PendingAuthorizationLifetime = TimeSpan.FromHours(25); break; // SBR 3.2.2.4: 24 h
                case "ValidAuthorizationLifetime": o.ValidAuthorizationLifetime = TimeSpan.FromDays(31); break;
                case "ChallengeMailbox": o.ChallengeMailbox = "acme+x@ca.example.test"; break;
                case "HttpBaseUrl": o.HttpBaseUrl = "https://ca.example.test"; break;
                case "DefaultProfile": o.DefaultProfile = "tls-server"; break;
                case "NonceRejectPercent": o.NonceRejectPercent = 10; break;
            }
        });
        Assert.That(errors, Has.Some.Contains(named));
    }

    [Test]
    public void Validate_NonceRejectInDevelopment_Allowed() =>
        Assert.That(Errors(o => o.NonceRejectPercent = 10, Environments.Development), Is.Empty);

    [Test]
    public void Sections_BindFromConfiguration()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Acme:BaseUrl"] = "https://acme.example.test",
            ["Acme:CaaIdentities:0"] = "ca.example.test",
            ["Acme:PendingAuthorizationLifetime"] = "12:00:00",
            ["Issuance:ValidityDays"] = "200",
            ["Tls:CertificatePath"] = "/x.pem",
        }).Build();
        var acme = config.GetSection(AcmeServerOptions.Section).Get<AcmeServerOptions>()!;
        var issuance = config.GetSection(IssuanceOptions.SectionName).Get<IssuanceOptions>()!;
        var tls = config.GetSection(TlsOptions.Section).Get<TlsOptions>()!;
        Assert.That(acme.BaseUrl, Is.EqualTo("https://acme.example.test"));
        Assert.That(acme.CaaIdentities, Is.EqualTo(new[] { "ca.example.test" }));
        Assert.That(acme.PendingAuthorizationLifetime, Is.EqualTo(TimeSpan.FromHours(12)));
        Assert.That(issuance.ValidityDays, Is.EqualTo(200));
        Assert.That(tls.CertificatePath, Is.EqualTo("/x.pem"));
    }
}
