using Acme.Server.Storage;
using Acme.Tests.Support.Certificates;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>
/// Issue 12 §4 revoke: by serial, and in bulk by mailbox, account or public key (a dry run until --execute);
/// audited with the operator as actor; the CRL served next lists every certificate with the reason given.
/// </summary>
public sealed class OperatorRevokeTests : OperatorCommandTestBase
{
    private static int? ReasonCode(X509CrlEntry entry) =>
        entry.GetExtensionParsedValue(X509Extensions.ReasonCode) is { } value ? Org.BouncyCastle.Asn1.DerEnumerated.GetInstance(value).IntValueExact : null;

    private Task<long> CountAsync(string sql, object? args = null) =>
        Server.Services.GetRequiredService<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>(sql, args), CancellationToken.None);

    [Test]
    public async Task RevokeAddress_DryRunChangesNothing_ExecuteListsAllOnFreshCrl()
    {
        var alice = await ClientAsync();
        var first = await IssueAsync(alice, "p256", "alice@users.example.test");
        var second = await IssueAsync(alice, "p384", "alice@users.example.test");
        var other = await IssueAsync(await ClientAsync("ES384"), "rsa2048", "bob@users.example.test");
        var before = await CrlAsync();

        var dry = await RunAsync("revoke", "--address", "Alice@users.example.test", "--reason", "superseded");
        Assert.That(dry.Code, Is.Zero, dry.Error);
        Assert.That(dry.Output, Does.Contain("would revoke 2 certificate(s), reason superseded").And.Contain(Serial(first)).And.Contain(Serial(second)));
        Assert.That(dry.Output, Does.Not.Contain(Serial(other)).And.Contain("dry run: nothing changed"));
        Assert.That(await CountAsync("SELECT COUNT(*) FROM certificates WHERE status = 'revoked'"), Is.Zero);
        Assert.That((await CrlAsync()).GetRevokedCertificates(), Is.Null.Or.Empty);

        var done = await RunAsync("revoke", "--address", "alice@users.example.test", "--reason", "superseded", "--execute");
        Assert.That(done.Code, Is.Zero, done.Error);
        Assert.That(done.Output, Does.Contain("revoked 2 certificate(s)").And.Contain("CRL regenerated"));
        var crl = await CrlAsync();
        Assert.That(crl.ThisUpdate, Is.GreaterThanOrEqualTo(before.ThisUpdate));
        Assert.That(crl.GetExtensionValue(X509Extensions.CrlNumber), Is.Not.EqualTo(before.GetExtensionValue(X509Extensions.CrlNumber)));
        foreach (var revoked in new[] { first, second })
        {
            var entry = crl.GetRevokedCertificate(revoked.SerialNumber);
            Assert.That(entry, Is.Not.Null, Serial(revoked));
            Assert.That(ReasonCode(entry), Is.EqualTo(4), "superseded");
        }

        Assert.That(crl.GetRevokedCertificate(other.SerialNumber), Is.Null);
        Assert.That(await CountAsync("SELECT COUNT(*) FROM audit_events WHERE event = 'certificate.revoked' AND actor LIKE 'operator:%' AND detail LIKE '%revoke --address%'"),
            Is.EqualTo(2));

        var again = await RunAsync("revoke", "--address", "alice@users.example.test", "--reason", "superseded", "--execute");
        Assert.That(again.Code, Is.Zero);
        Assert.That(again.Output, Does.Contain("revoked 0 certificate(s)").And.Contain("already revoked, skipped 2"));
    }

    [Test]
    public async Task RevokeSerial_RevokesAtOnce_SecondTimeRefusedAsAlreadyRevoked()
    {
        var leaf = await IssueAsync(await ClientAsync(), "p256", "carol@users.example.test");

        var done = await RunAsync("revoke", "--serial", Serial(leaf).ToUpperInvariant(), "--reason", "keyCompromise");
        Assert.That(done.Code, Is.Zero, done.Error);
        Assert.That(ReasonCode((await CrlAsync()).GetRevokedCertificate(leaf.SerialNumber)), Is.EqualTo(1), "keyCompromise");

        var again = await RunAsync("revoke", "--serial", Serial(leaf), "--reason", "keyCompromise");
        Assert.That(again.Code, Is.EqualTo(1));
        Assert.That(again.Error, Does.Contain("already revoked"));
        var audit = await RunAsync("audit", "--serial", Serial(leaf));
        Assert.That(audit.Output, Does.Contain("certificate.revoked").And.Contain("revoked by the operator (revoke --serial"));
    }

    [Test]
    public async Task RevokePublicKey_PemKeyOrCertificate_MatchesEveryCertificateOfTheKey()
    {
        var p256First = await IssueAsync(await ClientAsync(), "p256", "dave@users.example.test");
        var p256Second = await IssueAsync(await ClientAsync("ES384"), "p256", "erin@users.example.test");
        var otherKey = await IssueAsync(await ClientAsync(), "p384", "frank@users.example.test");
        var keyFile = Path.Combine(Server.DataDirectory, "key.pem");
        var spki = Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(TestKeys.Get("p256").Public).GetDerEncoded();
        await File.WriteAllTextAsync(keyFile, new string(System.Security.Cryptography.PemEncoding.Write("PUBLIC KEY", spki)));
        var certificateFile = Path.Combine(Server.DataDirectory, "leaf.pem");
        await File.WriteAllTextAsync(certificateFile, new string(System.Security.Cryptography.PemEncoding.Write("CERTIFICATE", p256First.GetEncoded())));

        var byCertificate = await RunAsync("revoke", "--public-key", certificateFile, "--reason", "keyCompromise");
        Assert.That(byCertificate.Output, Does.Contain("would revoke 2 certificate(s)"), byCertificate.Error);

        var done = await RunAsync("revoke", "--public-key", keyFile, "--reason", "keyCompromise", "--execute");
        Assert.That(done.Code, Is.Zero, done.Error);
        var crl = await CrlAsync();
        Assert.That(crl.GetRevokedCertificate(p256First.SerialNumber), Is.Not.Null);
        Assert.That(crl.GetRevokedCertificate(p256Second.SerialNumber), Is.Not.Null);
        Assert.That(crl.GetRevokedCertificate(otherKey.SerialNumber), Is.Null);
    }

    [Test]
    public async Task RevokeAccount_OnlyThatAccountsCertificates()
    {
        var grace = await ClientAsync();
        var mine = await IssueAsync(grace, "p256", "grace@users.example.test");
        var theirs = await IssueAsync(await ClientAsync("ES384"), "p256", "heidi@users.example.test");

        var done = await RunAsync("revoke", "--account", AccountId(grace), "--reason", "cessationOfOperation", "--execute");
        Assert.That(done.Code, Is.Zero, done.Error);
        var crl = await CrlAsync();
        Assert.That(ReasonCode(crl.GetRevokedCertificate(mine.SerialNumber)), Is.EqualTo(5));
        Assert.That(crl.GetRevokedCertificate(theirs.SerialNumber), Is.Null);
    }
}
