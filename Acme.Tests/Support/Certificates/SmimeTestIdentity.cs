using Acme.Server.Issuance;
using Acme.Validation.Csr;
using Acme.Validation.Identifiers;
using Acme.Validation.Profiles;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Support.Certificates;

/// <summary>An S/MIME signing certificate for one address, issued by our own issuer under a fresh development CA, written as PEM files.</summary>
public sealed record SmimeTestIdentity(string CertificatePath, string KeyPath, X509Certificate Root)
{
    public static async Task<SmimeTestIdentity> CreateAsync(string address, string directory)
    {
        Directory.CreateDirectory(directory);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1));
        var ca = DevelopmentCaGenerator.LoadOrCreate(Path.Combine(directory, "ca"), time);
        var key = TestKeys.Get("p256");
        var mailbox = MailboxNormalizer.Normalize(address).Value!;
        var csr = new CsrValidator().Validate(
            TestCsrBuilder.ForKey(key).WithRfc822(address).WithKeyUsage(KeyUsage.DigitalSignature).Build(), [mailbox], null);
        var issuer = new LocalCertificateIssuer(ca, new IssuanceOptions { CrlUrl = "http://ca.example.com/crl", CaIssuersUrl = "http://ca.example.com/ca.cer" }, time);
        var issued = await issuer.IssueAsync(new IssuanceRequest(csr.Value!, [mailbox], CertificateProfiles.Default, null, null), CancellationToken.None);
        var certificatePath = Path.Combine(directory, "smime.pem");
        var keyPath = Path.Combine(directory, "smime.key");
        await File.WriteAllTextAsync(certificatePath, issued.ChainPem);
        await File.WriteAllTextAsync(keyPath, PemText.PrivateKey(key.Private));
        return new SmimeTestIdentity(certificatePath, keyPath, ca.ChainAbove[^1]);
    }
}
