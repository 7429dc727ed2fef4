using Acme.Validation.Caa;

namespace Acme.Tests.Validation.Caa;

[TestFixture]
public sealed class IssueMailValueTests
{
    [TestCase("ca.example.test", "ca.example.test")]
    [TestCase("  ca.example.test  ", "ca.example.test")]
    [TestCase("\tca.example.test\t", "ca.example.test")]
    [TestCase("CA.Example.Test", "CA.Example.Test")]
    [TestCase("ca-1.ex--ample.test", "ca-1.ex--ample.test")]
    [TestCase("ca.example.test;", "ca.example.test")]
    [TestCase("ca.example.test ; ", "ca.example.test")]
    [TestCase("localca", "localca")]
    public void Parse_IssuerOnly_ReturnsNameWithoutParameters(string text, string issuer)
    {
        var value = IssueMailValue.Parse(text);
        Assert.That(value, Is.Not.Null);
        Assert.That(value!.IssuerDomainName, Is.EqualTo(issuer));
        Assert.That(value.Parameters, Is.Empty);
    }

    [TestCase(";")]
    [TestCase(" ; ")]
    [TestCase("")]
    [TestCase("   ")]
    public void Parse_NoIssuer_ReturnsValueWithNullIssuer(string text)
    {
        var value = IssueMailValue.Parse(text);
        Assert.That(value, Is.Not.Null);
        Assert.That(value!.IssuerDomainName, Is.Null);
    }

    [Test]
    public void Parse_EmptyIssuerWithParameters_KeepsParameters()
    {
        var value = IssueMailValue.Parse("; accounturi=https://x/acct/1");
        Assert.That(value, Is.Not.Null);
        Assert.That(value!.IssuerDomainName, Is.Null);
        Assert.That(value.Parameters, Is.EqualTo(new[] { new IssueMailParameter("accounturi", "https://x/acct/1") }));
    }

    [TestCase("ca.example.test; accounturi=https://x/acct/1", "accounturi", "https://x/acct/1")]
    [TestCase("ca.example.test;accounturi=https://x/acct/1", "accounturi", "https://x/acct/1")]
    [TestCase("ca.example.test ;  account = 123456 ", "account", "123456")]
    [TestCase("ca.example.test; validationmethods=email-reply-00,dns-01", "validationmethods", "email-reply-00,dns-01")]
    [TestCase("ca.example.test; empty=", "empty", "")]
    [TestCase("ca.example.test; x=a=b:c", "x", "a=b:c")]
    public void Parse_OneParameter_ReturnsTagAndValue(string text, string tag, string paramValue)
    {
        var value = IssueMailValue.Parse(text);
        Assert.That(value, Is.Not.Null);
        Assert.That(value!.IssuerDomainName, Is.EqualTo("ca.example.test"));
        Assert.That(value.Parameters, Is.EqualTo(new[] { new IssueMailParameter(tag, paramValue) }));
    }

    [Test]
    public void Parse_SeveralParameters_KeepsOrder()
    {
        var value = IssueMailValue.Parse("ca.example.test; a=1 ;b=2;  c-3=x");
        Assert.That(value!.Parameters.Select(p => p.Tag + "=" + p.Value), Is.EqualTo(new[] { "a=1", "b=2", "c-3=x" }));
    }

    [TestCase("ca.example.test; =")]
    [TestCase("ca..example")]
    [TestCase(".ca.example")]
    [TestCase("ca.example.test.")]
    [TestCase("ca.example.test;accounturi")]
    [TestCase("ca.example.test; accounturi=x;")]
    [TestCase("ca.example.test; a=1;;b=2")]
    [TestCase("ca.example.test; a=1 b=2")]
    [TestCase("ca.example.test; a=x;y")]
    [TestCase("ca.example.test other.example")]
    [TestCase("-ca.example.test")]
    [TestCase("ca-.example.test")]
    [TestCase("ca_x.example.test")]
    [TestCase("ca.example.test; -a=1")]
    [TestCase("ca.example.test; a-=1")]
    [TestCase("ca.example.test; a=\u00e9")]
    [TestCase("\"ca.example.test\"")]
    [TestCase("ca.example.test\n")]
    [TestCase("bücher.example")]
    public void Parse_Malformed_ReturnsNull(string text)
    {
        Assert.That(IssueMailValue.Parse(text), Is.Null);
    }
}
