using Acme.Server.Protocol;
using Acme.Server.Protocol.Problems;

namespace Acme.Server.Workflows;

/// <summary>
/// Checks newOrder's optional <c>notBefore</c>/<c>notAfter</c> (RFC 8555 §7.4) against policy:
/// RFC 3339 times, notBefore no earlier than now less 5 minutes and at most 30 days ahead,
/// notAfter after notBefore, and the span within the configured validity (SBR 6.3.2: at most 825 days).
/// </summary>
public static class ValidityWindow
{
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxPostdate = TimeSpan.FromDays(30);

    public static (DateTimeOffset? NotBefore, DateTimeOffset? NotAfter) Check(string? notBeforeText, string? notAfterText, DateTimeOffset now, int validityDays)
    {
        var notBefore = Parse(notBeforeText, "notBefore");
        var notAfter = Parse(notAfterText, "notAfter");
        if (notBefore is { } nb && (nb < now - Skew || nb > now + MaxPostdate))
        {
            throw Refuse($"notBefore {AcmeTime.Format(nb)} must lie between now and {MaxPostdate.Days} days ahead");
        }

        var start = notBefore ?? now;
        if (notAfter is { } na)
        {
            if (na <= start)
            {
                throw Refuse($"notAfter {AcmeTime.Format(na)} must be later than the start of validity {AcmeTime.Format(start)}");
            }

            if (na - start > TimeSpan.FromDays(validityDays))
            {
                throw Refuse($"the requested validity exceeds this CA's maximum of {validityDays} days");
            }
        }

        return (notBefore, notAfter);
    }

    private static DateTimeOffset? Parse(string? text, string name) =>
        text is null ? null
        : AcmeTime.TryParse(text, out var value) ? value
        : throw Refuse($"{name} '{text}' is not an RFC 3339 date-time");

    private static AcmeProblemException Refuse(string detail) => new(AcmeProblems.Malformed(detail));
}
