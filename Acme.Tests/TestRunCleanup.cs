using Acme.Tests.Support.Storage;

namespace Acme.Tests;

/// <summary>Stops what the whole run shared: the PostgreSQL cluster, if a test started it.</summary>
[SetUpFixture]
public sealed class TestRunCleanup
{
    [OneTimeTearDown]
    public void StopSharedServers() => PostgreSqlTestServer.StopShared();
}
