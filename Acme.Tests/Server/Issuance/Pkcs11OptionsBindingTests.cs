using Acme.Email.Dkim;
using Acme.Server.Issuance;
using Microsoft.Extensions.Configuration;

namespace Acme.Tests.Server.Issuance;

[TestFixture]
public sealed class Pkcs11OptionsBindingTests
{
    [Test]
    public void IssuanceAndDkim_Pkcs11Sections_BindFromConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Issuance:CaKeyPassphraseFile"] = "/etc/acme/ca.pass",
            ["Issuance:Pkcs11:Library"] = "/usr/lib/softhsm/libsofthsm2.so",
            ["Issuance:Pkcs11:TokenLabel"] = "acme-ca",
            ["Issuance:Pkcs11:KeyLabel"] = "issuing-2026",
            ["Issuance:Pkcs11:PinFile"] = "/etc/acme/ca.pin",
            ["Dkim:Pkcs11:Library"] = "/usr/lib/softhsm/libsofthsm2.so",
            ["Dkim:Pkcs11:TokenLabel"] = "acme-dkim",
            ["Dkim:Pkcs11:KeyLabel"] = "dkim-2026",
            ["Dkim:Pkcs11:PinFile"] = "/etc/acme/dkim.pin",
        }).Build();

        var issuance = configuration.GetSection(IssuanceOptions.SectionName).Get<IssuanceOptions>()!;
        var dkim = configuration.GetSection(DkimSigningOptions.SectionName).Get<DkimSigningOptions>()!;

        Assert.Multiple(() =>
        {
            Assert.That(issuance.CaKeyPassphraseFile, Is.EqualTo("/etc/acme/ca.pass"));
            Assert.That(issuance.Pkcs11.IsConfigured, Is.True);
            Assert.That((issuance.Pkcs11.Library, issuance.Pkcs11.TokenLabel, issuance.Pkcs11.KeyLabel, issuance.Pkcs11.PinFile),
                Is.EqualTo(("/usr/lib/softhsm/libsofthsm2.so", "acme-ca", "issuing-2026", "/etc/acme/ca.pin")));
            Assert.That((dkim.Pkcs11.Library, dkim.Pkcs11.TokenLabel, dkim.Pkcs11.KeyLabel, dkim.Pkcs11.PinFile),
                Is.EqualTo(("/usr/lib/softhsm/libsofthsm2.so", "acme-dkim", "dkim-2026", "/etc/acme/dkim.pin")));
        });
    }
}
