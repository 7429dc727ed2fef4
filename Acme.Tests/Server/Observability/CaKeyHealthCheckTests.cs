using Acme.Server.Issuance;
using Acme.Server.Observability;
using Acme.Tests.Server.Issuance;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Acme.Tests.Server.Observability;

/// <summary>The CA-key readiness check signs a probe and verifies it with the CA certificate's public key.</summary>
public sealed class CaKeyHealthCheckTests
{
    [Test]
    public async Task MatchingKey_Healthy()
    {
        using var ca = new IssuanceTestCa();
        var result = await new CaKeyHealthCheck(ca.Material).CheckHealthAsync(new HealthCheckContext());
        Assert.That(result.Status, Is.EqualTo(HealthStatus.Healthy), result.Description);
    }

    [Test]
    public async Task KeyOfAnotherCa_Unhealthy()
    {
        using var ca = new IssuanceTestCa();
        using var other = new IssuanceTestCa();
        var mismatched = new CaMaterial(ca.Material.Certificate, other.Material.PrivateKey, []);
        var result = await new CaKeyHealthCheck(mismatched).CheckHealthAsync(new HealthCheckContext());
        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(result.Description, Does.Contain("could not sign a probe"));
    }
}
