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
    public async Task KeyNoLongerSigns_Unhealthy()
    {
        using var ca = new IssuanceTestCa();
        var signer = new UnpluggableSigner(ca.Material.Signer);
        using var material = new CaMaterial(ca.Material.Certificate, signer, []);
        signer.Unplugged = true; // the token went away after start-up

        var result = await new CaKeyHealthCheck(material).CheckHealthAsync(new HealthCheckContext());

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(result.Description, Does.Contain("could not sign a probe"));
    }

    /// <summary>A CA key that signs until it is "unplugged", then fails as a removed token does.</summary>
    private sealed class UnpluggableSigner(ICaSigner inner) : ICaSigner
    {
        public bool Unplugged { get; set; }

        public Org.BouncyCastle.Crypto.AsymmetricKeyParameter PublicKey => inner.PublicKey;

        public string SignatureAlgorithm => inner.SignatureAlgorithm;

        public Acme.Validation.Csr.CsrKeyKind KeyKind => inner.KeyKind;

        public Org.BouncyCastle.Crypto.ISignatureFactory CreateSignatureFactory() =>
            Unplugged ? throw new Org.BouncyCastle.Crypto.CryptoException("token not present") : inner.CreateSignatureFactory();
    }
}
