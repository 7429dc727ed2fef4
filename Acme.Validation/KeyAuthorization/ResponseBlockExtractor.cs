using Acme.Validation.Outcomes;

namespace Acme.Validation.KeyAuthorization;

/// <summary>
/// Finds the <c>-----BEGIN ACME RESPONSE-----</c> … <c>-----END ACME RESPONSE-----</c> block in
/// the decoded text of a reply (RFC 8823 §3.2 item 7) and returns the digest text it holds.
/// </summary>
/// <remarks>
/// Line ends may be CRLF or bare LF (requirements §4 A8). The delimiter lines may carry leading
/// or trailing whitespace. The lines between them are joined, all whitespace is dropped and
/// trailing <c>=</c> padding is removed (requirements §4 A2). Text before and after the block is
/// ignored. A quoted block (lines starting with <c>&gt;</c>, as when a MUA quotes an earlier
/// message) is deliberately NOT accepted: the delimiters must stand alone on their lines.
/// </remarks>
public static class ResponseBlockExtractor
{
    /// <summary>The line that opens the response block.</summary>
    public const string BeginLine = "-----BEGIN ACME RESPONSE-----";

    /// <summary>The line that closes the response block.</summary>
    public const string EndLine = "-----END ACME RESPONSE-----";

    /// <summary>
    /// Extracts the digest text. Failures are <see cref="FailureKind.IncorrectResponse"/> with a
    /// detail naming what is wrong.
    /// </summary>
    public static ValidationOutcome<string> Extract(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Fail("the reply has no text/plain content holding an ACME response block");
        }

        var lines = text.Split('\n');
        var begin = IndexOfLine(lines, BeginLine, 0);
        var firstEnd = IndexOfLine(lines, EndLine, 0);
        if (begin < 0)
        {
            return Fail(firstEnd >= 0
                ? $"the reply has the line {EndLine} but no {BeginLine} line"
                : $"the reply has no {BeginLine} line");
        }

        var end = IndexOfLine(lines, EndLine, begin + 1);
        if (end < 0)
        {
            return Fail(firstEnd >= 0 && firstEnd < begin
                ? $"the {EndLine} line comes before the {BeginLine} line"
                : $"the reply has no {EndLine} line after {BeginLine}");
        }

        // RFC 8823 §3.2 item 7: CRLFs inserted inside the digest are ignored.
        var joined = string.Concat(lines[(begin + 1)..end].SelectMany(l => l.Where(c => !char.IsWhiteSpace(c))));
        var digest = joined.TrimEnd('=');
        if (digest.Length == 0)
        {
            return Fail("the ACME response block is empty");
        }

        foreach (var c in digest)
        {
            var ok = c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';
            if (!ok)
            {
                return Fail(c == '='
                    ? "the ACME response block has '=' inside the digest; only trailing padding is allowed"
                    : $"the ACME response block contains the character '{c}' (U+{(int)c:X4}), which is not base64url");
            }
        }

        return ValidationOutcome<string>.Success(digest);
    }

    private static int IndexOfLine(string[] lines, string wanted, int from)
    {
        for (var i = from; i < lines.Length; i++)
        {
            if (lines[i].Trim().Equals(wanted, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static ValidationOutcome<string> Fail(string detail) =>
        ValidationOutcome<string>.Fail(FailureKind.IncorrectResponse, detail);
}
