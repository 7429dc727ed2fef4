using Acme.Server.Issuance;
using Acme.Tests.Support.Certificates;
using Acme.Validation.Csr;
using Acme.Validation.Identifiers;
using Acme.Validation.Linting;
using Acme.Validation.Profiles;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Server.Issuance;

/// <summary>SBR 4.3.1.2: the issuer lints the to-be-signed certificate and signs nothing that has an error.</summary>
public sealed class PreIssuanceLintTests
{
    private sealed class AlwaysFails : ICertificateLint
    {
        public string Code => "test.always_fails";

        public IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context) =>
            [new LintFinding(Code, LintSeverity.Error, $"refused serial {certificate.SerialNumber.ToString(16)}")];
    }

    private sealed class AlwaysWarns : ICertificateLint
    {
        public string Code => "test.always_warns";

        public IEnumerable<LintFinding> Check(X509Certificate certificate, LintContext context) =>
            [new LintFinding(Code, LintSeverity.Warning, "a warning")];
    }

    private static IssuanceRequest Request()
    {
        var mailbox = MailboxNormalizer.Normalize("lint@example.test").Value!;
        var csr = new CsrValidator().Validate(TestCsrBuilder.ForKey(TestKeys.Get("p256")).WithRfc822(mailbox.Address).Build(), [mailbox], null);
        return new IssuanceRequest(csr.Value!, [mailbox], CertificateProfiles.Default, null, null);
    }

    [Test]
    public void IssueAsync_LintError_ThrowsWithFindingAndSignsNothing()
    {
        using var ca = new IssuanceTestCa();
        var issuer = new LocalCertificateIssuer(ca.Material, IssuanceTestCa.Options(), ca.Time, new SbrLinter([new AlwaysFails()]));
        var error = Assert.ThrowsAsync<PreIssuanceLintException>(() => issuer.IssueAsync(Request(), CancellationToken.None));
        Assert.That(error!.Message, Does.Contain("test.always_fails"));
        Assert.That(error.Findings.Single().Severity, Is.EqualTo(LintSeverity.Error));
    }

    [Test]
    public async Task IssueAsync_LintWarning_IssuesAndReportsTheWarning()
    {
        using var ca = new IssuanceTestCa();
        var issuer = new LocalCertificateIssuer(ca.Material, IssuanceTestCa.Options(), ca.Time, new SbrLinter([new AlwaysWarns()]));
        var issued = await issuer.IssueAsync(Request(), CancellationToken.None);
        Assert.That(issued.LintFindings.Select(f => f.Code), Is.EqualTo(new[] { "test.always_warns" }));
    }

    [Test]
    public async Task IssueAsync_DefaultRules_OurCertificatesLintClean()
    {
        using var ca = new IssuanceTestCa();
        var issued = await new LocalCertificateIssuer(ca.Material, IssuanceTestCa.Options(), ca.Time).IssueAsync(Request(), CancellationToken.None);
        Assert.That(issued.LintFindings, Is.Empty);
    }
}
