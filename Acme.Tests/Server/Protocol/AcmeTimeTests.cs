using Acme.Server.Protocol;

namespace Acme.Tests.Server.Protocol;

public sealed class AcmeTimeTests
{
    [TestCase("2026-11-23T10:00:00Z", "2026-11-23T10:00:00Z")]
    [TestCase("2026-11-23T10:00:00.123Z", "2026-11-23T10:00:00Z")]
    [TestCase("2026-11-23T12:00:00+02:00", "2026-11-23T10:00:00Z")]
    [TestCase("2026-11-23t10:00:00z", "2026-11-23T10:00:00Z")]
    public void TryParse_Rfc3339_Accepted(string text, string normalized)
    {
        Assert.That(AcmeTime.TryParse(text, out var time), Is.True);
        Assert.That(AcmeTime.Format(time), Is.EqualTo(normalized));
    }

    [TestCase("2026-11-23T10:00:00")]
    [TestCase("2026-11-23")]
    [TestCase("23/11/2026 10:00")]
    [TestCase("")]
    [TestCase(null)]
    public void TryParse_NotRfc3339_Refused(string? text) => Assert.That(AcmeTime.TryParse(text, out _), Is.False);
}
