using Acme.Server.Issuance;
using Acme.Tests.Server.Issuance;
using Acme.Tests.Support.Certificates;
using Acme.Validation.Csr;
using Acme.Validation.Linting;
using Acme.Validation.Profiles;
using Org.BouncyCastle.X509;

namespace Acme.Tests.Validation.Linting;

[TestFixture]
public sealed class SbrLinterTests
{
    private IssuanceTestCa _ca = null!;
    private BrokenCertificateFactory _factory = null!;
    private readonly SbrLinter _linter = SbrLinter.CreateDefault();

    [OneTimeSetUp]
    public void CreateCa()
    {
        _ca = new IssuanceTestCa();
        _factory = new BrokenCertificateFactory(_ca.Material, _ca.Time.GetUtcNow());
    }

    [OneTimeTearDown]
    public void DeleteCa() => _ca.Dispose();

    private static IEnumerable<TestCaseData> Broken() =>
        BrokenCertificateCases.All.Select(c => new TestCaseData(c).SetName($"Lint_Broken {c.Code} <- {c.Defect}"));

    private static IEnumerable<TestCaseData> GoodKinds() =>
        from key in new[] { "rsa2048", "p256", "p384", "ed25519" }
        from profile in CertificateProfiles.All
        select new TestCaseData(key, profile).SetName($"Lint_GoodCertificate_HasNoFindings({key}, {profile.Name})");

    [TestCaseSource(nameof(GoodKinds))]
    public void Lint_GoodCertificate_HasNoFindings(string keyKind, CertificateProfile profile)
    {
        var recipe = _factory.Good(keyKind, profile);

        var report = _linter.Lint(_factory.Build(recipe), _factory.Context(recipe));

        Assert.That(report.Findings, Is.Empty, () => string.Join("\n", report.Findings));
        Assert.That(report.HasErrors, Is.False);
    }

    [TestCaseSource(nameof(Broken))]
    public void Lint_BrokenCertificate_ReportsTheRule(BrokenCase brokenCase)
    {
        var recipe = _factory.Good(brokenCase.KeyKind, brokenCase.Profile);
        brokenCase.Break(recipe, _factory);

        var report = _linter.Lint(_factory.Build(recipe), _factory.Context(recipe));

        Assert.That(report.Findings, Has.Some.Matches<LintFinding>(f => f.Code == brokenCase.Code && f.Severity == brokenCase.Severity),
            () => "findings:\n" + string.Join("\n", report.Findings));
        Assert.That(report.HasErrors, Is.EqualTo(report.Findings.Any(f => f.Severity == LintSeverity.Error)));
        if (brokenCase.Severity == LintSeverity.Error)
        {
            Assert.That(report.HasErrors, Is.True);
        }
    }

    [Test]
    public void CreateDefault_EveryRuleHasABrokenCase()
    {
        var tableCodes = BrokenCertificateCases.All.Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        var ruleCodes = _linter.Rules.Select(r => r.Code).ToList();

        Assert.That(ruleCodes, Is.Unique);
        Assert.That(ruleCodes.Where(code => !tableCodes.Contains(code)), Is.Empty, "rules without a broken certificate");
        Assert.That(tableCodes.Where(code => !ruleCodes.Contains(code)), Is.Empty, "cases naming no rule");
    }

    [Test]
    public void CreateDefault_HoldsEveryRuleClassOfTheRulesNamespace()
    {
        var ruleTypes = typeof(SbrLinter).Assembly.GetTypes()
            .Where(t => t.Namespace == "Acme.Validation.Linting.Rules" && !t.IsAbstract && typeof(ICertificateLint).IsAssignableFrom(t));

        Assert.That(_linter.Rules.Select(r => r.GetType()), Is.EquivalentTo(ruleTypes));
    }

    [Test]
    public void Lint_RuleThatCannotParse_ReportsAnErrorWithItsCode()
    {
        var recipe = _factory.Good("p256", CertificateProfiles.MailboxStrict);
        recipe.Set(Org.BouncyCastle.Asn1.X509.X509Extensions.SubjectAlternativeName, false, Org.BouncyCastle.Asn1.DerNull.Instance);

        var report = _linter.Lint(_factory.Build(recipe), _factory.Context(recipe));

        Assert.That(report.Findings, Has.Some.Matches<LintFinding>(f => f.Code == "cabf.smime.san_extension_missing" || f.Code == "cabf.smime.san_does_not_contain_email_address"));
        Assert.That(report.HasErrors, Is.True);
    }

    [TestCase("rsa2048", new[] { "alice@example.test" }, null)]
    [TestCase("p256", new[] { "alice@example.test", "bob@example.test" }, null)]
    [TestCase("ed25519", new[] { "alice@example.test" }, Org.BouncyCastle.Asn1.X509.KeyUsage.DigitalSignature)]
    [TestCase("p384", new[] { "josé@example.test", "bob@xn--bcher-kva.example" }, null)]
    public async Task Lint_LocalCertificateIssuerOutput_IsClean(string keyKind, string[] addresses, int? keyUsage)
    {
        foreach (var profile in CertificateProfiles.All)
        {
            var mailboxes = addresses.Select(BrokenCertificateFactory.Mailbox).ToList();
            var builder = TestCsrBuilder.ForKey(TestKeys.Get(keyKind));
            foreach (var m in mailboxes)
            {
                _ = m.HasNonAsciiLocalPart ? builder.WithSmtpUtf8(m.Address) : builder.WithRfc822(m.Address);
            }

            if (keyUsage is { } bits)
            {
                builder.WithKeyUsage(bits);
            }

            var csr = new CsrValidator().Validate(builder.Build(), mailboxes, null);
            Assert.That(csr.IsSuccess, Is.True, () => csr.Failure!.Detail);
            var issuer = new LocalCertificateIssuer(_ca.Material, IssuanceTestCa.Options(), _ca.Time);
            var issued = await issuer.IssueAsync(new IssuanceRequest(csr.Value!, mailboxes, profile, null, null), CancellationToken.None);
            var certificate = new X509CertificateParser().ReadCertificate(issued.Der);

            var report = _linter.Lint(certificate, new LintContext(profile, _ca.Material.Certificate, mailboxes, _ca.Time.GetUtcNow()));

            Assert.That(report.Findings, Is.Empty, () => $"{profile.Name}:\n" + string.Join("\n", report.Findings));
        }
    }

    [TestCase("http://127.0.0.1:8080/crl/issuing.crl", "cabf.internal_ip_address")]
    [TestCase("http://localhost:8080/crl/issuing.crl", "cabf.internal_domain_name")]
    public void Lint_InternalCrlUrlWhereAllowed_IsAWarningOnly(string url, string code)
    {
        var recipe = _factory.Good("p256", CertificateProfiles.MailboxStrict);
        recipe.Set(Org.BouncyCastle.Asn1.X509.X509Extensions.CrlDistributionPoints, false,
            BrokenCertificateFactory.CrlDp(BrokenCertificateFactory.Uri(url)));

        var refused = _linter.Lint(_factory.Build(recipe), _factory.Context(recipe));
        var allowed = _linter.Lint(_factory.Build(recipe), _factory.Context(recipe) with { AllowInternalNames = true });

        Assert.That(refused.Errors.Select(f => f.Code), Is.EqualTo(new[] { code }));
        Assert.That(allowed.HasErrors, Is.False);
        Assert.That(allowed.Findings.Select(f => (f.Code, f.Severity)), Is.EqualTo(new[] { (code, LintSeverity.Warning) }));
    }

    [Test]
    public void Lint_WrongMailboxContext_IssuerOutputFails()
    {
        var recipe = _factory.Good("p256", CertificateProfiles.MailboxStrict);
        var context = _factory.Context(recipe) with { ValidatedMailboxes = [BrokenCertificateFactory.Mailbox("carol@example.test")] };

        var report = _linter.Lint(_factory.Build(recipe), context);

        Assert.That(report.Errors.Select(f => f.Code), Is.EquivalentTo(new[] { "acme.san_mailbox_not_validated" }));
    }
}
