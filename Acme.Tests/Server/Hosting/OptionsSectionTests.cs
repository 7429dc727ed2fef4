using Acme.Email.Dkim;
using Acme.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Acme.Tests.Server.Hosting;

/// <summary>
/// Issue 12 §1: every configuration section is bound and checked at start-up the same way
/// (IValidateOptions + ValidateOnStart); a bad value fails naming its setting.
/// </summary>
[Category("Integration")]
public sealed class OptionsSectionTests
{
    private string _data = null!;

    [SetUp]
    public void CreateDataDirectory() => _data = Path.Combine(Path.GetTempPath(), "acme-options-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteDataDirectory()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private Microsoft.AspNetCore.Builder.WebApplication Build(params string[] settings) =>
        AcmeServerHost.Build(["--environment", "Development", "--urls", "http://127.0.0.1:0", $"--Acme:DataDirectory={_data}",
            "--Logging:LogLevel:Default=Warning", .. settings]);

    [TestCase("--Acme:OrdersPageSize=0", "Acme:OrdersPageSize")]
    [TestCase("--Issuance:ValidityDays=900", "Issuance:ValidityDays")]
    [TestCase("--Tls:KeyPath=/etc/hostname", "Tls:CertificatePath and Tls:KeyPath")]
    [TestCase("--Dns:Servers:0=resolver.example.com:53", "Dns:Servers:0")]
    [TestCase("--Caa:IssuerDomains:0=ca example.com", "Caa:IssuerDomains:0")]
    [TestCase("--Caa:LookupReuse=08:00:01", "Caa:LookupReuse")]
    [TestCase("--Caa:LookupReuse=-00:00:01", "Caa:LookupReuse")]
    [TestCase("--Replies:MinimumRsaKeyBits=512", "Replies:MinimumRsaKeyBits")]
    [TestCase("--Smtp:Host=127.0.0.1|--Smtp:Port=0", "Smtp:Port")]
    [TestCase("--Imap:Host=127.0.0.1", "Imap:UserName")]
    [TestCase("--Dkim:Algorithm=rsa-sha1", "Dkim:Algorithm")]
    [TestCase("--Smime:CertificatePath=/etc/hostname", "Smime:CertificatePath and Smime:KeyPath")]
    [TestCase("--Mail:FirstSendDelay=02:00:00", "Mail:FirstSendDelay")]
    [TestCase("--Storage:WriteAttempts=0", "Storage:WriteAttempts")]
    public async Task Prepare_BadValueInSection_FailsNamingTheSetting(string settings, string named)
    {
        await using var app = Build(settings.Split('|'));

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => AcmeServerHost.PrepareAsync(app, CancellationToken.None));

        Assert.That(error!.Failures, Has.Some.StartsWith(named));
    }

    [Test]
    public async Task Prepare_SeveralBadSections_ListsEveryOneAtOnce()
    {
        await using var app = Build("--Dns:Servers:0=bogus", "--Replies:MinimumRsaKeyBits=512", "--Caa:IssuerDomains:0=a b", "--Storage:WriteAttempts=0");

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => AcmeServerHost.PrepareAsync(app, CancellationToken.None));

        Assert.That(error!.Failures.Select(f => f.Split(' ')[0].TrimEnd(':')),
            Is.EquivalentTo(new[] { "Dns:Servers:0", "Replies:MinimumRsaKeyBits", "Caa:IssuerDomains:0", "Storage:WriteAttempts" }));
    }

    [Test]
    public async Task Prepare_DkimKeyWithoutDomainOrSelector_UsesTheChallengeDomainAndAcme()
    {
        var key = DkimMessageSigner.GenerateDevelopmentKey(Path.Combine(_data, "keys"), "ca.example.com", "s1", DkimSigningOptions.RsaSha256);
        await using var app = Build($"--Dkim:KeyPath={key.KeyPath}", "--Acme:ChallengeMailbox=acme@ca.example.com");

        await AcmeServerHost.PrepareAsync(app, CancellationToken.None);

        var dkim = app.Services.GetRequiredService<IOptions<DkimSigningOptions>>().Value;
        Assert.That((dkim.Domain, dkim.Selector), Is.EqualTo(("ca.example.com", "acme")));
    }
}
