using Acme.Tests.Support.Dns;
using Acme.Validation.Dkim;
using Acme.Validation.Identifiers;
using Acme.Validation.KeyAuthorization;
using Acme.Validation.Replies;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Acme.Tests.Support.Mail;

/// <summary>
/// One challenge and the world around it: the identifier, tokens, clock, published DKIM keys.
/// Each test makes its own instance (nothing is shared but the cached keys).
/// </summary>
public sealed class ReplyScenario
{
    /// <summary>The mailbox being validated.</summary>
    public const string Address = "alice@example.test";

    /// <summary>token-part1: 24 bytes, so both token joins agree.</summary>
    public const string TokenPart1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX";

    /// <summary>token-part2: 16 bytes.</summary>
    public const string TokenPart2 = "oKGio6SlpqeoqaqrrK2urw";

    /// <summary>The account key thumbprint (acmez's test vector).</summary>
    public const string Thumbprint = "hC4xyXNn8ZDH4yrcp93Zj3qgQs7LyT_GUL45YD7IVMQ";

    /// <summary>The test clock's "now".</summary>
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Creates the scenario with RSA (<c>rsa</c>) and Ed25519 (<c>ed</c>) keys published for example.test, sub.example.test and other.test.</summary>
    public ReplyScenario()
    {
        foreach (var domain in new[] { "example.test", "sub.example.test", "other.test" })
        {
            Lookup.PublishKey("rsa", domain, DkimTestKey.Rsa2048.TxtRecord);
            Lookup.PublishKey("ed", domain, DkimTestKey.Ed25519.TxtRecord);
        }
    }

    /// <summary>The fake DNS.</summary>
    public FakeDkimKeyLookup Lookup { get; } = new();

    /// <summary>The clock, at <see cref="Now"/>.</summary>
    public FakeTimeProvider Time { get; } = new(Now);

    /// <summary>The identifier, normalized.</summary>
    public static NormalizedMailbox Identifier => MailboxNormalizer.Normalize(Address).Value!;

    /// <summary>The correct digest (both joins agree).</summary>
    public static string Digest => ReplyDigest.Compute(TokenPart1, TokenPart2, Thumbprint, TokenJoin.Bytes);

    /// <summary>A correct reply's content.</summary>
    public static ReplyContent Content => new(Address, "acme-challenge+abc123@ca.example.test", TokenPart1, Digest);

    /// <summary>The expectation for this challenge; the token was created an hour before <see cref="Now"/>.</summary>
    public static ReplyExpectation Expectation => new(Identifier, TokenPart1, TokenPart2, Thumbprint, Now.AddHours(-1), Now);

    /// <summary>A DKIM verifier using this scenario's DNS and clock.</summary>
    public ReplyDkimVerifier Verifier(DkimPolicy? policy = null) => new(Lookup, policy ?? DkimPolicy.Default, Time);

    /// <summary>A reply validator using this scenario's DNS and clock.</summary>
    public ReplyValidator Validator(DkimPolicy? policy = null) => new(Verifier(policy));

    /// <summary>Signs with the RSA key as <c>rsa._domainkey.{domain}</c>, five minutes before now.</summary>
    public static void SignRsa(MimeMessage message, string domain = "example.test", IEnumerable<string>? headers = null) =>
        TestReplyFactory.Sign(message, DkimTestKey.Rsa2048, domain, "rsa", Now.AddMinutes(-5), headers);
}
