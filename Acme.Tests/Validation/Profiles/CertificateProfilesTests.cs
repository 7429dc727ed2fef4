using Acme.Validation.Profiles;

namespace Acme.Tests.Validation.Profiles;

[TestFixture]
public sealed class CertificateProfilesTests
{
    [TestCase("smime-mailbox-strict", "2.23.140.1.5.1.3")]
    [TestCase("smime-mailbox-multipurpose", "2.23.140.1.5.1.2")]
    public void TryGet_KnownName_ReturnsProfileWithPolicyAndEmailProtection(string name, string policyOid)
    {
        Assert.That(CertificateProfiles.TryGet(name, out var profile), Is.True);
        Assert.That(profile!.PolicyOid, Is.EqualTo(policyOid));
        Assert.That(profile.ExtendedKeyUsageOids, Does.Contain("1.3.6.1.5.5.7.3.4"));
    }

    [TestCase("smime-mailbox-legacy")]
    [TestCase("SMIME-MAILBOX-STRICT")]
    [TestCase("")]
    [TestCase(null)]
    public void TryGet_UnknownName_ReturnsFalse(string? name)
    {
        Assert.That(CertificateProfiles.TryGet(name, out var profile), Is.False);
        Assert.That(profile, Is.Null);
    }

    [Test]
    public void Default_IsStrictWithEmailProtectionOnly()
    {
        Assert.That(CertificateProfiles.Default.Name, Is.EqualTo("smime-mailbox-strict"));
        Assert.That(CertificateProfiles.Default.ExtendedKeyUsageOids, Is.EqualTo(new[] { "1.3.6.1.5.5.7.3.4" }));
    }

    [Test]
    public void All_ListsBothProfilesDefaultFirst()
    {
        Assert.That(CertificateProfiles.All.Select(p => p.Name),
            Is.EqualTo(new[] { "smime-mailbox-strict", "smime-mailbox-multipurpose" }));
    }
}
