using Acme.Validation.Identifiers;
using Acme.Validation.Outcomes;

namespace Acme.Tests.Validation.Identifiers;

/// <summary>Issue 9 items 1 and 8: what the one mailbox grammar refuses, and why.</summary>
public sealed class MailboxGrammarTests
{
    [TestCase("\"alice\"@users.example.com", "quoted local parts are not supported; send the unquoted address 'alice@")]
    [TestCase("\"a b\"@users.example.com", "white space")]
    [TestCase("\"a@b\"@example.test", "quoted local parts are not supported")]
    [TestCase("ali\u202Ece@example.test", "invisible formatting character")]
    [TestCase("ali\u200Bce@example.test", "invisible formatting character")]
    [TestCase("\uFEFFalice@example.test", "invisible formatting character")]
    [TestCase("alice\u00AD@example.test", "invisible formatting character")]
    [TestCase("\uFF41lice@example.test", "compatibility characters")]
    [TestCase("\uFB01le@example.test", "compatibility characters")]
    [TestCase("jose\u0301@example.test", "normalization form C")]
    [TestCase("p\u0430ul@example.test", "mixes the scripts Cyrillic and Latin")]
    [TestCase("alice@p\u0430ypal.com", "mixes the scripts Cyrillic and Latin")]
    [TestCase("alice@\uFF45xample.com", "not in its canonical IDNA form")]
    [TestCase("alice@a\u200Bb.example.com", "invisible formatting character")]
    [TestCase("alice@xn--a-ecp.ru", "not a valid host name under IDNA2008")]
    [TestCase("alice@exa\uE000mple.com", "private-use character")]
    public void Refused_WithReason(string input, string reason)
    {
        var outcome = MailboxNormalizer.Normalize(input);
        Assert.That(outcome.IsSuccess, Is.False, () => $"accepted as {outcome.Value}");
        Assert.That(outcome.Failure!.Kind, Is.EqualTo(FailureKind.RejectedIdentifier));
        Assert.That(outcome.Failure.Detail, Does.Contain(reason));
    }

    [TestCase("alice@b\u00FCcher.example.com", "alice@xn--bcher-kva.example.com")]
    [TestCase("alice@B\u00DCCHER.Example.COM", "alice@xn--bcher-kva.example.com")]
    [TestCase("alice@xn--bcher-kva.example.com", "alice@xn--bcher-kva.example.com")]
    [TestCase("alice@XN--BCHER-KVA.example.com", "alice@xn--bcher-kva.example.com")]
    [TestCase("j\u00F6rg@example.test", "j\u00F6rg@example.test")]
    [TestCase("\u0438\u0432\u0430\u043D@\u043F\u0440\u0438\u043C\u0435\u0440.\u0440\u0444", "\u0438\u0432\u0430\u043D@xn--e1afmkfd.xn--p1ai")]
    [TestCase("ivan.\u0438\u0432\u0430\u043D@example.test", "ivan.\u0438\u0432\u0430\u043D@example.test")]
    [TestCase("\u5C71\u7530\u305F\u308D\u3046@\u4F8B\u3048.jp", "\u5C71\u7530\u305F\u308D\u3046@xn--r8jz45g.jp")]
    [TestCase("user1@\uD55C\uAD6D\u6F22\u5B57.kr", "user1@xn--p8s937b4q9bln7a.kr")]
    [TestCase("fa\u00DF@fa\u00DF.de", "fa\u00DF@xn--fa-hia.de")]
    public void Accepted_AsNormalizedForm(string input, string expected)
    {
        var outcome = MailboxNormalizer.Normalize(input);
        Assert.That(outcome.IsSuccess, Is.True, outcome.Failure?.Detail);
        Assert.That(outcome.Value!.Address, Is.EqualTo(expected));
    }

    [TestCase("vic@example.test", "vic@example.test")]
    [TestCase("VIC@example.test", "vic@example.test")]
    [TestCase("Vic+1@example.test", "vic@example.test")]
    [TestCase("vic+a+b@example.test", "vic@example.test")]
    [TestCase("+tag@example.test", "+tag@example.test")]
    public void RecipientKey_FoldsCaseAndDropsPlusTag(string input, string key) =>
        Assert.That(MailboxNormalizer.Normalize(input).Value!.RecipientKey, Is.EqualTo(key));

    [Test]
    public void SharesInboxWith_ChallengeMailboxPlusForms()
    {
        var mailbox = MailboxNormalizer.Normalize("acme@acme.localhost").Value!;
        Assert.Multiple(() =>
        {
            Assert.That(MailboxNormalizer.Normalize("acme+x@acme.localhost").Value!.SharesInboxWith(mailbox), Is.True);
            Assert.That(MailboxNormalizer.Normalize("ACME@acme.localhost").Value!.SharesInboxWith(mailbox), Is.True);
            Assert.That(MailboxNormalizer.Normalize("acme@other.localhost").Value!.SharesInboxWith(mailbox), Is.False);
            Assert.That(MailboxNormalizer.Normalize("acmex@acme.localhost").Value!.SharesInboxWith(mailbox), Is.False);
        });
    }
}
