namespace Acme.Tests.Support;

/// <summary>
/// Integration tests that need a program from Debian's packages: skipped on a developer machine
/// that lacks it, failed under CI (<c>CI=true</c>), where <c>.ci/run</c> installs and starts it.
/// </summary>
public static class RequiredTool
{
    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static void Missing(string message)
    {
        if (UnderCi)
        {
            Assert.Fail("CI must provide this: " + message);
        }

        Assert.Ignore(message);
    }
}
