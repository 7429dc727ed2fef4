using System.Text;
using Acme.Email.Challenges;
using Acme.Email.Dkim;
using Acme.Tests.Email.Challenges;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using MimeKit.Cryptography;

namespace Acme.Tests.Email.Dkim;

/// <summary>
/// Our challenge mail read the way acme_email 0.17.2 reads it (client-interop 2.3): Python's email package takes
/// the first DKIM-Signature header with its folding line breaks removed but its whitespace kept, the client splits
/// it on ';' and '=', then splits h= on ':' without trimming and compares the names exactly; before verifying, it
/// re-serializes the message with Python's email package, which rewrites any header line longer than 78 characters.
/// </summary>
[TestFixture]
public sealed class DkimNaiveReaderTests
{
    private const string Domain = "ca.example.test";
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private static readonly string[] AcmeEmailNames = ["from", "auto-submitted", "date", "message-id", "subject", "to"];
    private EmailTestDirectory _dir = null!;
    private DkimMessageSigner _signer = null!;
    private DkimKeyMaterial _key = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = new EmailTestDirectory();
        _key = DkimMessageSigner.GenerateDevelopmentKey(_dir.Path, Domain, "acme", DkimSigningOptions.RsaSha256);
        _signer = new DkimMessageSigner(
            new DkimSigningOptions { Domain = Domain, Selector = "acme", KeyPath = _key.KeyPath }, new FakeTimeProvider(Now));
    }

    [TearDown]
    public void TearDown()
    {
        _signer.Dispose();
        _dir.Dispose();
    }

    private string SignedChallenge()
    {
        var message = new ChallengeEmailBuilder().Build(new ChallengeMailRequest(
            "acme+x1@ca.example.test", "alice@users.example.test", "LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6v", Domain, Now));
        _signer.Sign(message);
        return Encoding.ASCII.GetString(ChallengeEmailBuilderTests.Serialize(message));
    }

    /// <summary>The physical lines of the first header with this name, exactly as written.</summary>
    private static List<string> FirstHeaderLines(string raw, string name)
    {
        var lines = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n");
        var start = Array.FindIndex(lines, l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));
        Assert.That(start, Is.GreaterThanOrEqualTo(0), name + " present");
        return lines.Skip(start).Take(1).Concat(lines.Skip(start + 1).TakeWhile(l => l.StartsWith(' ') || l.StartsWith('\t'))).ToList();
    }

    /// <summary>Python's header value: the line breaks dropped, every space and tab kept, leading whitespace stripped.</summary>
    private static string PythonHeaderValue(IReadOnlyList<string> lines) =>
        string.Concat(lines)[(lines[0].IndexOf(':') + 1)..].TrimStart(' ', '\t');

    /// <summary>acme_email's tag split: ';' then '=', t[0] -> t[1], each part stripped of surrounding whitespace only.</summary>
    private static Dictionary<string, string> NaiveTags(string value)
    {
        var tags = new Dictionary<string, string>();
        foreach (var part in value.Split(';'))
        {
            var t = part.Trim().Split('=');
            tags[t[0]] = t[1];
        }

        return tags;
    }

    [Test]
    public void FirstSignature_HeaderListSplitOnColonWithoutTrimming_NamesEveryHeaderAcmeEmailChecks()
    {
        var tags = NaiveTags(PythonHeaderValue(FirstHeaderLines(SignedChallenge(), "DKIM-Signature")));

        var names = tags["h"].Split(':');

        Assert.Multiple(() =>
        {
            Assert.That(names, Is.SupersetOf(AcmeEmailNames), "h=" + tags["h"]);
            Assert.That(tags["d"].ToLowerInvariant(), Is.EqualTo(Domain), "d= equals the From domain");
        });
    }

    [Test]
    public void FirstSignature_EveryLineFitsPythonsLimit_SoReserializingKeepsItIntact()
    {
        var lines = FirstHeaderLines(SignedChallenge(), "DKIM-Signature");

        Assert.That(lines.Select(l => l.Length), Has.All.LessThanOrEqualTo(78), string.Join("\n", lines));
    }

    [Test]
    public async Task EverySignature_Verifies_AndOneNamesTheWholeRfc8823List()
    {
        var parsed = MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(SignedChallenge())));
        var verifier = new DkimVerifier(new TxtRecordDkimLocator(new Dictionary<string, string> { [_key.DnsName] = _key.TxtValue }));
        var signatures = parsed.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToList();
        var results = new List<bool>();
        foreach (var signature in signatures)
        {
            results.Add(await verifier.VerifyAsync(parsed, signature));
        }

        var lists = signatures.Select(s => NaiveTags(string.Concat(s.Value.Where(c => c is not ('\r' or '\n'))))["h"]
            .Split(':').Select(n => n.Trim().ToLowerInvariant()).ToList()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(results, Has.All.True);
            Assert.That(lists, Has.Some.SupersetOf(DkimSigningOptions.RequiredHeaders.Select(n => n.ToLowerInvariant())), "RFC 8823 §3.1 item 6");
        });
    }
}
