using System.Globalization;
using MimeKit;

namespace Acme.Validation.Dkim;

/// <summary>
/// The policy checks a reply's DKIM signature must pass before its cryptography is even tried.
/// Each check returns null when satisfied or a reason phrased for an ACME error detail.
/// </summary>
internal static class DkimSignatureRules
{
    /// <summary>RFC 8823 §3.2 item 9: header fields the response signature MUST cover.</summary>
    public static readonly IReadOnlyList<string> RequiredHeaders =
    [
        "from", "sender", "reply-to", "to", "cc", "subject", "date", "in-reply-to", "references",
        "message-id", "content-type", "content-transfer-encoding",
    ];

    /// <summary>Headers the validator relies on: none may occur more often than it is signed.</summary>
    public static readonly IReadOnlyList<string> ReliedUponHeaders =
        ["from", "subject", "to", "in-reply-to", "content-type", "content-transfer-encoding"];

    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = false };

    public static string? CheckAlgorithm(string? algorithm) => algorithm?.ToLowerInvariant() switch
    {
        null or "" => "the signature has no a= tag",
        "rsa-sha256" or "ed25519-sha256" => null,

        // RFC 8301 §3.1: rsa-sha1 MUST NOT be used for signing or verifying.
        "rsa-sha1" => "the signature uses rsa-sha1, which verifiers must refuse (RFC 8301 §3.1)",
        _ => $"the signature algorithm a={algorithm} is not rsa-sha256 or ed25519-sha256",
    };

    public static string? CheckTimes(DkimTagList tags, DateTimeOffset now, TimeSpan skew)
    {
        var signedAt = ParseTime(tags["t"], "t", out var error);
        if (error is not null)
        {
            return error;
        }

        var expiresAt = ParseTime(tags["x"], "x", out error);
        if (error is not null)
        {
            return error;
        }

        // RFC 6376 §3.5 x=: signatures MAY be considered invalid after the expiration time.
        if (expiresAt is { } x && x < now)
        {
            return $"the signature expired at {x:u} (x=), before the check at {now:u} (RFC 6376 §3.5)";
        }

        if (signedAt is { } t && t > now + skew)
        {
            return $"the signature timestamp t={t:u} lies more than {skew.TotalMinutes:0} minutes in the future";
        }

        if (signedAt is { } t2 && expiresAt is { } x2 && x2 < t2)
        {
            return "the signature's x= is earlier than its t= (RFC 6376 §3.5)";
        }

        return null;
    }

    /// <summary>Normalizes a <c>d=</c> value to lower-case A-labels, or null if it is not a domain.</summary>
    public static string? NormalizeDomain(string? domain)
    {
        if (string.IsNullOrWhiteSpace(domain))
        {
            return null;
        }

        try
        {
            return Idn.GetAscii(domain.Trim().TrimEnd('.')).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The lower-case names of <c>h=</c>, in order (whitespace around names ignored).</summary>
    public static IReadOnlyList<string> SignedHeaderNames(string? h) =>
        string.IsNullOrWhiteSpace(h)
            ? []
            : h.Split(':').Select(n => string.Concat(n.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant()).Where(n => n.Length > 0).ToArray();

    public static string? CheckCoverage(IReadOnlyList<string> signed, MimeMessage message, DkimHeaderCoverage coverage)
    {
        var headers = TopLevelHeaders(message);
        var missing = RequiredHeaders
            .Where(name => !signed.Contains(name))
            .Where(name => coverage == DkimHeaderCoverage.Strict || name is "from" or "subject" || Count(headers, name) > 0)
            .ToArray();
        if (missing.Length > 0)
        {
            var what = coverage == DkimHeaderCoverage.Strict ? "the full list of" : "the present headers of";
            return $"h= does not sign {string.Join(", ", missing)}; RFC 8823 §3.2 item 9 requires {what} From, Sender, Reply-To, To, CC, Subject, Date, In-Reply-To, References, Message-ID, Content-Type, Content-Transfer-Encoding";
        }

        // RFC 6376 §5.4.2 and §8.15: an instance beyond those h= names is unsigned and could be forged.
        foreach (var name in ReliedUponHeaders)
        {
            var present = Count(headers, name);
            var named = signed.Count(n => n == name);
            if (present > named)
            {
                return $"the reply has {present} {name} header fields but h= signs only {named}, so one is unsigned (RFC 6376 §5.4.2, §8.15)";
            }
        }

        return null;
    }

    /// <summary>
    /// Every header field of the message's top level. MimeKit keeps the top-level Content-*
    /// fields in the body entity's header list, not in <see cref="MimeMessage.Headers"/>.
    /// </summary>
    public static IReadOnlyList<Header> TopLevelHeaders(MimeMessage message) =>
        message.Headers.Concat(message.Body?.Headers.Where(h => !message.Headers.Contains(h)) ?? []).ToArray();

    private static int Count(IReadOnlyList<Header> headers, string name) =>
        headers.Count(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase));

    private static DateTimeOffset? ParseTime(string? text, string tag, out string? error)
    {
        error = null;
        if (text is null)
        {
            return null;
        }

        if (text.Length is 0 or > 12 || !text.All(char.IsAsciiDigit))
        {
            error = $"the {tag}= value '{text}' is not a number of seconds";
            return null;
        }

        return DateTimeOffset.FromUnixTimeSeconds(long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture));
    }
}
