using System.Security.Cryptography;
using Acme.Validation.Codecs;
using Acme.Validation.KeyAuthorization;

namespace Acme.Tests.Validation.KeyAuthorization;

[TestFixture]
public sealed class ReplyDigestTests
{
    // acmez mailreply00_test.go: token-part1 is 16 bytes, so the two joins differ.
    private const string T1 = "V4nE8NhYh6edBpfQTg5qqQ";
    private const string T2 = "x6I65YvEk6xC4KV0QMvdJw";
    private const string Thumb = "hC4xyXNn8ZDH4yrcp93Zj3qgQs7LyT_GUL45YD7IVMQ";
    private const string ByteJoinDigest = "Fjt2SD7KoqSt3I6jwgg8ljjkP9Er7h1w0wF0UihvQIU";
    private const string StringJoinDigest = "gtzugYfQ1gO_Pi-ripWZTUtKP_xzPoQe-brDkSOvX5c";

    [TestCase(TokenJoin.Bytes, ByteJoinDigest)]
    [TestCase(TokenJoin.String, StringJoinDigest)]
    public void Compute_AcmezVector_GivesPublishedDigest(TokenJoin join, string expected)
    {
        Assert.That(ReplyDigest.Compute(T1, T2, Thumb, join), Is.EqualTo(expected));
    }

    [TestCase(ByteJoinDigest, TokenJoin.Bytes)]
    [TestCase(StringJoinDigest, TokenJoin.String)]
    public void TryMatch_EitherJoinsDigest_MatchesAndReportsJoin(string response, TokenJoin expected)
    {
        var matched = ReplyDigest.TryMatch(response, T1, T2, Thumb, out var join);

        Assert.That(matched, Is.True);
        Assert.That(join, Is.EqualTo(expected));
        Assert.That(ReplyDigest.Matches(response, T1, T2, Thumb), Is.True);
    }

    [TestCase("")]
    [TestCase("Fjt2SD7KoqSt3I6jwgg8ljjkP9Er7h1w0wF0UihvQIV")]
    [TestCase("Fjt2SD7KoqSt3I6jwgg8ljjkP9Er7h1w0wF0UihvQIU=")]
    [TestCase("fjt2SD7KoqSt3I6jwgg8ljjkP9Er7h1w0wF0UihvQIU")]
    public void Matches_OtherText_IsFalse(string response)
    {
        Assert.That(ReplyDigest.Matches(response, T1, T2, Thumb), Is.False);
    }

    [Test]
    public void Matches_DigestForAnotherThumbprint_IsFalse()
    {
        var other = ReplyDigest.Compute(T1, T2, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", TokenJoin.Bytes);

        Assert.That(ReplyDigest.Matches(other, T1, T2, Thumb), Is.False);
    }

    [Test]
    public void Compute_ByteJoinWithNonBase64UrlToken_Throws()
    {
        Assert.That(() => ReplyDigest.Compute("abc+/", T2, Thumb, TokenJoin.Bytes), Throws.ArgumentException);
        Assert.That(ReplyDigest.Compute("abc+/", T2, Thumb, TokenJoin.String), Has.Length.EqualTo(43));
    }

    [Test]
    public void Compute_24ByteTokenPart1_BothJoinsAgree()
    {
        for (var i = 0; i < 200; i++)
        {
            var t1 = StrictBase64Url.Encode(RandomNumberGenerator.GetBytes(24));
            var t2 = StrictBase64Url.Encode(RandomNumberGenerator.GetBytes(16));

            Assert.That(ReplyDigest.Compute(t1, t2, Thumb, TokenJoin.String), Is.EqualTo(ReplyDigest.Compute(t1, t2, Thumb, TokenJoin.Bytes)), $"{t1} {t2}");
        }
    }

    [Test]
    public void Compute_Result_IsUnpaddedSha256Base64Url()
    {
        var digest = ReplyDigest.Compute(T1, T2, Thumb, TokenJoin.String);

        Assert.That(digest, Has.Length.EqualTo(43).And.Match("^[A-Za-z0-9_-]+$"));
    }
}
