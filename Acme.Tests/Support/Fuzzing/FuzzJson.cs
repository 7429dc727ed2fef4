using System.Text;
using CsCheck;

namespace Acme.Tests.Support.Fuzzing;

/// <summary>
/// Generators of hostile JSON text for the request parsers: protocol member names (so duplicates
/// and wrong types are common), strings with escapes and unpaired surrogates, huge and odd numbers,
/// deep nesting, broken UTF-8 and byte-level mutations of otherwise valid text.
/// </summary>
public static class FuzzJson
{
    /// <summary>Member names the server looks for, plus a few it does not, drawn from a small set so they repeat.</summary>
    public static readonly string[] Names =
    [
        "alg", "nonce", "url", "kid", "jwk", "kty", "crv", "x", "y", "n", "e", "d", "b64", "crit",
        "protected", "payload", "signature", "header", "signatures",
        "identifiers", "type", "value", "contact", "termsOfServiceAgreed", "onlyReturnExisting", "externalAccountBinding",
        "status", "csr", "certificate", "reason", "account", "oldKey", "profile", "notBefore", "notAfter", "replaces",
        "a", "\\u0000", "é",
    ];

    /// <summary>Invalid UTF-8 octet runs: a bad continuation, a lone 0xFF, a CESU surrogate, an overlong slash, beyond U+10FFFF, truncated.</summary>
    public static readonly byte[][] BrokenUtf8 =
    [
        [0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80], [0xFE, 0xFF],
    ];

    private static readonly string[] CleanStrings =
    [
        "", "ES256", "RS256", "EdDSA", "none", "HS256", "EC", "RSA", "OKP", "oct", "P-256", "P-521", "Ed25519", "X25519",
        "email", "dns", "deactivated", "valid", "mailto:a@example.org", "a@example.org", "a@b@c", "@", "xn--80ak6aa92e.com",
        "AAAA", "AA==", "_-_-", "\\ud83d\\ude00", "\\u0000", "\\\"", "\\\\", "é", "😀",
        "2024-02-30T25:61:61Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2026-03-01T12:00:00Z", "https://acme.test/acct/1", "%00", "..\\/..",
    ];

    // RFC 8259 §8.2: escapes that name no Unicode character.
    private static readonly string[] HostileStrings = ["\\ud800", "\\udc00x", "x\\ud800\\u0041", "\\udfff\\ud800"];

    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "-1", "4", "5", "1.5", "1e999999", "-1e999999", "1E+2", "0.0000001e-400", "2147483648",
        "9223372036854775808", "123456789012345678901234567890123456789012345678901234567890",
    ];

    /// <summary>A JSON string literal (quotes included), sometimes long, sometimes of random printable text.</summary>
    public static readonly Gen<string> StringLiteral = Gen.Frequency(
        (12, Gen.OneOf(CleanStrings)),
        (1, Gen.OneOf(HostileStrings)),
        (2, Gen.String[0, 12].Select(Escape)),
        (1, Gen.Int[100, 5000].Select(n => new string('a', n))))
        .Select(s => "\"" + s + "\"");

    /// <summary>A number, boolean, null or string literal.</summary>
    public static readonly Gen<string> Scalar = Gen.Frequency(
        (5, StringLiteral),
        (2, Gen.OneOf(Numbers)),
        (1, Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.OneOf("true", "false", "null")));

    /// <summary>A member name literal: mostly protocol names, sometimes random text.</summary>
    public static readonly Gen<string> Name = Gen.Frequency((16, Gen.OneOf(Names)), (1, Gen.OneOf(HostileStrings)), (1, Gen.String[0, 6].Select(Escape)))
        .Select(n => "\"" + n + "\"");

    /// <summary>Any JSON value up to depth 3.</summary>
    public static readonly Gen<string> Value = ValueOfDepth(3);

    /// <summary>A JSON object up to depth 3 (members may repeat).</summary>
    public static readonly Gen<string> Object = ObjectOfDepth(3);

    /// <summary>Nesting from 1 to 200 levels: the parser's limit is 64.</summary>
    public static readonly Gen<string> Deep = Gen.Select(Gen.Int[1, 200], Gen.Bool).Select((depth, objects) => objects
        ? string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)
        : new string('[', depth) + new string(']', depth));

    /// <summary>Octets that a JSON parser may be handed: valid text, mutated text, deep nesting, noise.</summary>
    public static readonly Gen<byte[]> Document = Gen.Frequency(
        (5, Object.Select(Utf8)),
        (3, Object.Select(Utf8).SelectMany(Mutate)),
        (1, Deep.Select(Utf8)),
        (1, Value.Select(Utf8)),
        (1, Gen.Byte.Array[0, 80]));

    /// <summary>Mailbox-like strings: plain, quoted, internationalized, IDN, IP literals, overlong, broken.</summary>
    public static readonly Gen<string> Mailbox = Gen.Frequency(
        (1, Gen.OneOf("\"alice@example.org\"", "\"Bob@Example.NET\"", "\"ready@example.org\"", "\"ü@bücher.example\"")),
        (3, Gen.Select(
            Gen.OneOf("a", "A.b", "\\\"a b\\\"", "\\\"\\\"", "ü", "用户", "a+tag", ".a", "a..b", "", new string('l', 65), "a\\u0000", "\\ud800", "%41"),
            Gen.OneOf("@", "@@", "", "＠"),
            Gen.OneOf("example.org", "EXAMPLE.ORG.", "bücher.example", "xn--bcher-kva.example", "xn--zz", "[127.0.0.1]", "[IPv6:::1]", "localhost",
                "-a.example", "a_b.example", string.Join(".", Enumerable.Repeat(new string('d', 63), 5)), "例え.テスト", ""))
        .Select((local, at, domain) => "\"" + local + at + domain + "\"")));

    /// <summary>newOrder, newAccount, finalize and revokeCert shaped payloads with hostile values.</summary>
    public static readonly Gen<string> ShapedPayload = Gen.Frequency(
        (3, Gen.Select(Gen.Select(Gen.Frequency((6, Gen.Const("\"email\"")), (1, Gen.Const("\"dns\"")), (1, Scalar)), Gen.Frequency((8, Mailbox), (1, Value)))
                    .Select((t, v) => $"{{\"type\":{t},\"value\":{v}}}").Array[0, 4], Gen.Frequency((3, Gen.Const(string.Empty)), (1, Scalar.Select(v => ",\"notBefore\":" + v)),
                    (1, Scalar.Select(v => ",\"notAfter\":" + v)), (1, Scalar.Select(v => ",\"profile\":" + v)), (1, Scalar.Select(v => ",\"replaces\":" + v))))
            .Select((ids, extra) => $"{{\"identifiers\":[{string.Join(",", ids)}]{extra}}}")),
        (2, Gen.Select(Gen.Frequency((6, Mailbox.Select(m => "\"mailto:" + m[1..])), (1, Scalar)).Array[0, 4], Value, Value)
            .Select((contacts, tos, only) => $"{{\"contact\":[{string.Join(",", contacts)}],\"termsOfServiceAgreed\":{tos},\"onlyReturnExisting\":{only}}}")),
        (1, Gen.Select(Object, Object, Value).Select((p, q, r) => $"{{\"externalAccountBinding\":{{\"protected\":{p},\"payload\":{q},\"signature\":{r}}}}}")),
        (1, Gen.Select(Scalar, Scalar).Select((csr, reason) => $"{{\"csr\":{csr},\"certificate\":{csr},\"reason\":{reason}}}")));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>One to three byte-level mutations of <paramref name="bytes"/>.</summary>
    public static Gen<byte[]> Mutate(byte[] bytes) => ByteMutation.Gen.Array[1, 3].Select(ms => ms.Aggregate(bytes, (b, m) => m.Apply(b)));

    /// <summary>The JSON string-body escaping of <paramref name="text"/> (quotes and backslashes, control characters).</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                < ' ' or (>= '\ud800' and <= '\udfff') => builder.Append($"\\u{(int)c:x4}"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    private static Gen<string> ValueOfDepth(int depth) => depth == 0
        ? Scalar
        : Gen.Frequency((5, Scalar), (1, ArrayOfDepth(depth)), (2, ObjectOfDepth(depth)));

    private static Gen<string> ArrayOfDepth(int depth) =>
        ValueOfDepth(depth - 1).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]");

    private static Gen<string> ObjectOfDepth(int depth) =>
        Gen.Select(Name, ValueOfDepth(depth - 1)).Array[0, 6]
            .Select(members => "{" + string.Join(",", members.Select(m => m.Item1 + ":" + m.Item2)) + "}");
}
