using Acme.Validation.Identifiers;
using Acme.Validation.Outcomes;

namespace Acme.Tests.Validation.Identifiers;

public sealed class MailboxNormalizerTests
{
    [TestCase("alice@example.test", "alice@example.test")]
    [TestCase("Alice@Example.TEST", "Alice@example.test")]
    [TestCase("bob+tag@mail.example.test", "bob+tag@mail.example.test")]
    [TestCase("user@bücher.example", "user@xn--bcher-kva.example")]
    [TestCase("jürgen@example.test", "jürgen@example.test")]
    [TestCase("o'brien@example.test", "o'brien@example.test")]
    public void Normalize_ValidAddress_DomainLowerALabelLocalExact(string input, string expected)
    {
        var outcome = MailboxNormalizer.Normalize(input);
        Assert.That(outcome.IsSuccess, Is.True, outcome.Failure?.Detail);
        Assert.That(outcome.Value!.Address, Is.EqualTo(expected));
    }

    [TestCase("*@example.test", "wildcard")]
    [TestCase("alice@*.example.test", "wildcard")]
    [TestCase("", "empty")]
    [TestCase("alice", "local-part@domain")]
    [TestCase("alice@", "local-part@domain")]
    [TestCase("@example.test", "local-part@domain")]
    [TestCase("Alice <alice@example.test>", "white space")]
    [TestCase("alice@localhost", "fully qualified")]
    [TestCase("alice@[127.0.0.1]", "address literals")]
    [TestCase("alice@example.test.", "ends with a dot")]
    [TestCase("a..b@example.test", "doubled dot")]
    [TestCase(".a@example.test", "leading")]
    [TestCase("a(b)@example.test", "character '('")]
    [TestCase("alice@exa_mple.test", "not a valid host name")]
    [TestCase("alice@-bad.example.test", "not a valid host name")]
    [TestCase("alice@example.123", "numeric label")]
    public void Normalize_InvalidAddress_RejectedWithReason(string input, string reason)
    {
        var outcome = MailboxNormalizer.Normalize(input);
        Assert.That(outcome.IsSuccess, Is.False);
        Assert.That(outcome.Failure!.Kind, Is.EqualTo(FailureKind.RejectedIdentifier));
        Assert.That(outcome.Failure.Detail, Does.Contain(reason));
        Assert.That(outcome.Failure.Identifier, Is.EqualTo(input));
    }

    [Test]
    public void Normalize_LocalPartOver64Octets_Rejected() =>
        Assert.That(MailboxNormalizer.Normalize(new string('a', 65) + "@example.test").IsSuccess, Is.False);

    [Test]
    public void HasNonAsciiLocalPart_DistinguishesSmtpUtf8()
    {
        Assert.That(MailboxNormalizer.Normalize("jürgen@example.test").Value!.HasNonAsciiLocalPart, Is.True);
        Assert.That(MailboxNormalizer.Normalize("user@bücher.example").Value!.HasNonAsciiLocalPart, Is.False);
    }
}
