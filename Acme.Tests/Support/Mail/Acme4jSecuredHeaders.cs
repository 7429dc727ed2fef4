using System.Text.RegularExpressions;
using Acme.Email.Smime;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Asn1;

namespace Acme.Tests.Support.Mail;

/// <summary>
/// How acme4j 5.1 (SignedMail / SignedMailBuilder of acme4j-smime) decides which header fields of an
/// S/MIME-signed challenge mail it trusts: envelope fields are untrusted; a field is trusted when an
/// inner <c>message/rfc822</c> part repeats it, or when the RFC 7508 SecureHeaderFields signed
/// attribute lists it with the same value (duplicated) or a new one (modified). From, To and Subject
/// must end up trusted, or it refuses the mail ("Secured headers expected, but missing").
/// </summary>
public static partial class Acme4jSecuredHeaders
{
    private static readonly HashSet<string> Ignored = new(StringComparer.OrdinalIgnoreCase) { "Content-Type", "MIME-Version", "Received" };

    /// <summary>The trusted (name, value) pairs, or the refusal acme4j would report.</summary>
    public static (List<(string Name, string Value)> Trusted, string? Refusal) Read(MimeMessage outer, SecureMimeDigitalSignature signature)
    {
        var headers = outer.Headers.Where(h => !Ignored.Contains(h.Field)).Select(h => new Field(h.Field, h.Value)).ToList();
        if (outer.Body is MultipartSigned signed && signed[0] is MessagePart { Message: { } wrapped })
        {
            foreach (var inner in wrapped.Headers.Where(h => !Ignored.Contains(h.Field)))
            {
                var matched = headers.Where(f => f.Name == inner.Field && f.Value == inner.Value).ToList();
                if (matched.Count == 0)
                {
                    return ([], $"Secured header '{inner.Field}' does not match envelope header");
                }

                matched.ForEach(f => f.Trusted = true);
            }
        }

        var attribute = signature.SignerInfo.SignedAttributes?[SmimeChallengeSigner.SecureHeaderFieldsOid];
        if (attribute is not null)
        {
            var set = (Asn1Set)attribute.AttrValues[0];
            var relaxed = set.OfType<DerEnumerated>().Select(e => e.IntValueExact).FirstOrDefault() == 1;
            foreach (var field in set.OfType<Asn1Sequence>().SelectMany(s => s.Cast<Asn1Sequence>()))
            {
                var name = ((IAsn1String)field[0]).GetString();
                var value = ((IAsn1String)field[1]).GetString();
                var status = field.Count >= 3 ? ((DerInteger)field[2]).IntValueExact : 0;
                var matched = headers.Where(f => NameEquals(f.Name, name, relaxed) && (status == 2 || ValueEquals(f.Value, value, relaxed))).ToList();
                if (matched.Count == 0)
                {
                    return ([], $"Secured header '{name}' was not found in envelope header");
                }

                if (status == 1)
                {
                    headers.RemoveAll(matched.Contains);
                }
                else if (status == 2)
                {
                    headers.RemoveAll(matched.Contains);
                    headers.Add(new Field(name, value) { Trusted = true });
                }
                else
                {
                    matched.ForEach(f => f.Trusted = true);
                }
            }
        }

        var missing = new[] { "FROM", "SUBJECT", "TO" }.Where(r => !headers.Any(f => f.Trusted && f.Name.Equals(r, StringComparison.OrdinalIgnoreCase))).ToList();
        return missing.Count > 0
            ? ([], "Secured headers expected, but missing: " + string.Join(", ", missing))
            : (headers.Where(f => f.Trusted).Select(f => (f.Name, f.Value.Trim())).ToList(), null);
    }

    private static bool NameEquals(string actual, string expected, bool relaxed) =>
        relaxed ? actual.Equals(expected, StringComparison.OrdinalIgnoreCase) : actual == expected;

    private static bool ValueEquals(string actual, string expected, bool relaxed) =>
        relaxed ? Whitespace().Replace(actual, " ").Trim() == Whitespace().Replace(expected, " ").Trim() : actual == expected;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private sealed class Field(string name, string value)
    {
        public string Name { get; } = name;

        public string Value { get; } = value;

        public bool Trusted { get; set; }
    }
}
