using System.Text;
using Acme.Tests.Support.Certificates;
using Acme.Validation.Csr;
using Acme.Validation.Identifiers;
using Acme.Validation.Outcomes;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace Acme.Tests.Validation.Csr;

[TestFixture]
public sealed class CsrValidatorNameTests
{
    private static NormalizedMailbox Mailbox(string address) => MailboxNormalizer.Normalize(address).Value!;

    private static TestCsrBuilder Builder() => TestCsrBuilder.ForKey(TestKeys.Get("p256"));

    private static ValidationOutcome<ValidatedCsr> Validate(TestCsrBuilder builder, string[] order, CsrPolicy? policy = null) =>
        new CsrValidator(policy).Validate(builder.Build(), order.Select(Mailbox).ToList(), accountKeySpkiDer: null);

    [Test]
    public void Validate_TwoMailboxesInAnyOrder_SucceedsInCsrOrder()
    {
        var outcome = Validate(
            Builder().WithRfc822("bob@example.test").WithRfc822("alice@example.test"),
            ["alice@example.test", "bob@example.test"]);

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
        Assert.That(outcome.Value!.Mailboxes.Select(m => m.Address), Is.EqualTo(new[] { "bob@example.test", "alice@example.test" }));
    }

    [Test]
    public void Validate_OrderMailboxMissing_BadCsrNamingIt()
    {
        var outcome = Validate(Builder().WithRfc822("alice@example.test"), ["alice@example.test", "bob@example.test"]);

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.BadCsr));
        Assert.That(outcome.Failure!.Detail, Does.Contain("does not name").And.Contain("bob@example.test"));
    }

    [Test]
    public void Validate_ExtraMailbox_BadCsrNamingIt()
    {
        var outcome = Validate(Builder().WithRfc822("alice@example.test").WithRfc822("eve@example.test"), ["alice@example.test"]);

        Assert.That(outcome.Failure?.Detail, Does.Contain("not in the order").And.Contain("eve@example.test"));
    }

    [Test]
    public void Validate_DuplicateMailbox_BadCsr()
    {
        var outcome = Validate(Builder().WithRfc822("alice@example.test").WithRfc822("alice@EXAMPLE.test"), ["alice@example.test"]);

        Assert.That(outcome.Failure?.Detail, Does.Contain("more than once"));
    }

    [Test]
    public void Validate_DomainCaseDiffers_SucceedsAfterNormalization()
    {
        var outcome = Validate(Builder().WithRfc822("alice@Example.TEST"), ["alice@example.test"]);

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
        Assert.That(outcome.Value!.Mailboxes[0].Address, Is.EqualTo("alice@example.test"));
    }

    [Test]
    public void Validate_LocalPartCaseDiffers_BadCsr()
    {
        var outcome = Validate(Builder().WithRfc822("Alice@example.test"), ["alice@example.test"]);

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.BadCsr));
    }

    [Test]
    public void Validate_NoSubjectAltName_BadCsr()
    {
        var outcome = Validate(Builder().WithKeyUsage(KeyUsage.DigitalSignature), ["alice@example.test"]);

        Assert.That(outcome.Failure?.Detail, Does.Contain("no subjectAltName"));
    }

    [Test]
    public void Validate_NonAsciiLocalPartAsSmtpUtf8Mailbox_Succeeds()
    {
        var outcome = Validate(Builder().WithSmtpUtf8("jürgen@example.test"), ["jürgen@example.test"]);

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
        Assert.That(outcome.Value!.Mailboxes[0].HasNonAsciiLocalPart, Is.True);
    }

    [Test]
    public void Validate_SmtpUtf8MailboxWithUnicodeDomain_MatchesALabelOrder()
    {
        var outcome = Validate(Builder().WithSmtpUtf8("jürgen@bücher.test"), ["jürgen@xn--bcher-kva.test"]);

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
    }

    [Test]
    public void Validate_AsciiAddressAsSmtpUtf8Mailbox_BadCsr()
    {
        var outcome = Validate(Builder().WithSmtpUtf8("alice@example.test"), ["alice@example.test"]);

        Assert.That(outcome.Failure?.Detail, Does.Contain("must be requested as an rfc822Name"));
    }

    [Test]
    public void Validate_NonAsciiAddressAsRfc822Name_BadCsr()
    {
        var utf8 = new DerIA5String(Encoding.UTF8.GetBytes("jürgen@example.test"));
        var outcome = Validate(Builder().WithName(new GeneralName(GeneralName.Rfc822Name, utf8)), ["jürgen@example.test"]);

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.BadCsr));
        Assert.That(outcome.Failure!.Detail, Does.Contain("needs an SmtpUTF8Mailbox"));
    }

    [Test]
    public void Validate_SmtpUtf8MailboxNotUtf8String_BadCsr()
    {
        var name = new GeneralName(GeneralName.OtherName,
            new OtherName(new DerObjectIdentifier("1.3.6.1.5.5.7.8.9"), new DerIA5String("x@example.test")));

        var outcome = Validate(Builder().WithName(name), ["x@example.test"]);

        Assert.That(outcome.Failure?.Detail, Does.Contain("not a UTF8String"));
    }

    private static IEnumerable<TestCaseData> ForeignNames()
    {
        yield return new TestCaseData(new GeneralName(GeneralName.UniformResourceIdentifier, "https://example.test/")).SetArgDisplayNames("uri");
        yield return new TestCaseData(new GeneralName(GeneralName.IPAddress, "192.0.2.1")).SetArgDisplayNames("ip");
        yield return new TestCaseData(new GeneralName(new X509Name("CN=alice"))).SetArgDisplayNames("directoryName");
        yield return new TestCaseData(new GeneralName(GeneralName.OtherName,
            new OtherName(new DerObjectIdentifier("1.3.6.1.4.1.311.20.2.3"), new DerUtf8String("alice@example.test")))).SetArgDisplayNames("upn");
        yield return new TestCaseData(new GeneralName(GeneralName.DnsName, "example.test")).SetArgDisplayNames("dns");
    }

    [TestCaseSource(nameof(ForeignNames))]
    public void Validate_ForeignGeneralNameBesideMailbox_BadCsr(GeneralName foreign)
    {
        var outcome = Validate(Builder().WithRfc822("alice@example.test").WithName(foreign), ["alice@example.test"]);

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(FailureKind.BadCsr));
        Assert.That(outcome.Failure!.Detail, Does.Contain("only"));
    }

    [Test]
    public void Validate_ForeignUri_DetailShowsTheValueWithoutTagNumber()
    {
        var foreign = new GeneralName(GeneralName.UniformResourceIdentifier, "https://example.test/");
        var outcome = Validate(Builder().WithRfc822("alice@example.test").WithName(foreign), ["alice@example.test"]);

        Assert.That(outcome.Failure!.Detail, Does.Contain("uniformResourceIdentifier ('https://example.test/')"));
    }

    [Test]
    public void Validate_AcmeEmailStyleDnsNameByDefault_BadCsr()
    {
        var outcome = Validate(Builder().WithRfc822("alice@example.test").WithDnsName("alice@example.test"), ["alice@example.test"]);

        Assert.That(outcome.Failure?.Detail, Does.Contain("dNSName"));
    }

    [TestCase("alice@example.test")]
    [TestCase("alice@EXAMPLE.test")]
    public void Validate_AcmeEmailStyleDnsNameWithTolerance_Succeeds(string dnsName)
    {
        var outcome = Validate(
            Builder().WithRfc822("alice@example.test").WithDnsName(dnsName),
            ["alice@example.test"],
            new CsrPolicy { TolerateDnsNamesEqualToMailboxes = true });

        Assert.That(outcome.IsSuccess, Is.True, () => outcome.Failure!.Detail);
        Assert.That(outcome.Value!.Mailboxes, Has.Count.EqualTo(1));
    }

    [TestCase("example.test")]
    [TestCase("bob@example.test")]
    public void Validate_OtherDnsNameWithTolerance_BadCsr(string dnsName)
    {
        var outcome = Validate(
            Builder().WithRfc822("alice@example.test").WithDnsName(dnsName),
            ["alice@example.test"],
            new CsrPolicy { TolerateDnsNamesEqualToMailboxes = true });

        Assert.That(outcome.Failure?.Detail, Does.Contain("dNSName"));
    }

    [Test]
    public void Validate_OnlyDnsNameWithTolerance_BadCsrForMissingMailbox()
    {
        var outcome = Validate(
            Builder().WithDnsName("alice@example.test"),
            ["alice@example.test"],
            new CsrPolicy { TolerateDnsNamesEqualToMailboxes = true });

        Assert.That(outcome.Failure?.Detail, Does.Contain("does not name"));
    }
}
