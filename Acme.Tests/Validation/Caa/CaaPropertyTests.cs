using Acme.Validation.Caa;

namespace Acme.Tests.Validation.Caa;

[TestFixture]
public sealed class CaaPropertyTests
{
    [TestCase(0, false)]
    [TestCase(1, false)]
    [TestCase(127, false)]
    [TestCase(128, true)]
    [TestCase(129, true)]
    [TestCase(255, true)]
    public void IsCritical_Flags_ReadsBitZero(int flags, bool critical)
    {
        Assert.That(new CaaProperty((byte)flags, "issuemail", "x").IsCritical, Is.EqualTo(critical));
    }

    [Test]
    public void ToString_Value_IsPresentationFormat()
    {
        Assert.That(new CaaProperty(0, "issuemail", "ca.example.test; a=\"b\\").ToString(),
            Is.EqualTo("0 issuemail \"ca.example.test; a=\\\"b\\\\\""));
    }

    [Test]
    public void Quoted_Value_WrapsPresentationFormatInQuotes()
    {
        Assert.That(new CaaProperty(0, "issuemail", "other-ca.example").Quoted(),
            Is.EqualTo("\"0 issuemail \\\"other-ca.example\\\"\""));
    }
}
