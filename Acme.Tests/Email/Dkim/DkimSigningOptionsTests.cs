using Acme.Email.Dkim;

namespace Acme.Tests.Email.Dkim;

[TestFixture]
public sealed class DkimSigningOptionsTests
{
    private static DkimSigningOptions Valid() => new() { Domain = "ca.example.test", Selector = "sel1", KeyPath = "/keys/dkim.pem" };

    [Test]
    public void Validate_Defaults_Pass()
    {
        Assert.That(() => Valid().Validate(), Throws.Nothing);
    }

    [Test]
    public void SignedHeaders_Default_HoldsMustShouldAndMimeVersion()
    {
        Assert.That(Valid().SignedHeaders, Has.Count.EqualTo(13 + 12 + 1));
    }

    [TestCase("Domain", "", "Dkim:Domain")]
    [TestCase("Domain", "a@b.test", "Dkim:Domain")]
    [TestCase("Selector", "", "Dkim:Selector")]
    [TestCase("KeyPath", " ", "Dkim:KeyPath")]
    [TestCase("Algorithm", "rsa-sha1", "Dkim:Algorithm")]
    public void Validate_BadSetting_ThrowsNamingIt(string property, string value, string expected)
    {
        var options = Valid();
        typeof(DkimSigningOptions).GetProperty(property)!.SetValue(options, value);

        Assert.That(() => options.Validate(), Throws.InvalidOperationException.With.Message.Contains(expected));
    }

    [Test]
    public void Validate_SignedHeadersWithoutAutoSubmitted_ThrowsNamingIt()
    {
        var options = Valid();
        options.SignedHeaders.Remove("Auto-Submitted");

        Assert.That(() => options.Validate(), Throws.InvalidOperationException.With.Message.Contains("Dkim:SignedHeaders").And.Message.Contains("Auto-Submitted"));
    }
}
