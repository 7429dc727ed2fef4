using Acme.Email.Transport;

namespace Acme.Tests.Email.Transport;

[TestFixture]
public sealed class RetryPolicyTests
{
    [TestCase(1, 10)]
    [TestCase(2, 20)]
    [TestCase(3, 40)]
    [TestCase(4, 80)]
    [TestCase(5, 160)]
    [TestCase(6, 320)]
    [TestCase(7, 640)]
    [TestCase(8, 900)]
    [TestCase(9, 900)]
    [TestCase(1000, 900)]
    [TestCase(int.MaxValue, 900)]
    public void NextDelay_WithoutJitter_DoublesFromTenSecondsUpToFifteenMinutes(int attempt, int seconds)
    {
        Assert.That(RetryPolicy.NextDelay(attempt), Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [TestCase(1, 0.0, 10.0)]
    [TestCase(1, 0.5, 11.25)]
    [TestCase(1, 1.0, 12.5)]
    [TestCase(3, 1.0, 50.0)]
    [TestCase(7, 1.0, 800.0)]
    [TestCase(8, 1.0, 900.0)]
    public void NextDelay_WithPinnedJitter_AddsUpToAQuarterAndStaysCapped(int attempt, double jitter, double seconds)
    {
        Assert.That(RetryPolicy.NextDelay(attempt, jitter), Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [TestCase(0, 0.0)]
    [TestCase(-1, 0.0)]
    [TestCase(1, -0.1)]
    [TestCase(1, 1.5)]
    [TestCase(1, double.NaN)]
    public void NextDelay_OutOfRange_Throws(int attempt, double jitter)
    {
        Assert.That(() => RetryPolicy.NextDelay(attempt, jitter), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
