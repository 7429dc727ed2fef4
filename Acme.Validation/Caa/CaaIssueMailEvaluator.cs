using Acme.Validation.Outcomes;

namespace Acme.Validation.Caa;

/// <summary>
/// Decides whether CAA permits S/MIME issuance for one mailbox domain: RFC 8659 §3 tree
/// climbing to the Relevant RRset, RFC 9495 §4 <c>issuemail</c> evaluation, RFC 8659 §4.1
/// critical flags, and the SBR 4.2.2.1 / 4.2.2.1.1 rules for lookup failures.
/// </summary>
/// <remarks>
/// CNAMEs are followed by the resolver; when the answer for a name came through an alias, its
/// records are used as that name's RRset, and the climb continues from the parent of the
/// original name, not of the alias target (RFC 8659 §3 dropped RFC 6844's target climbing).
/// Parameters: <c>accounturi</c> must equal the requesting account URI exactly;
/// <c>validationmethods</c> must list <see cref="CaaPolicy.ValidationMethod"/>; other parameters
/// are ignored.
/// </remarks>
public sealed class CaaIssueMailEvaluator
{
    private readonly ICaaLookup _lookup;
    private readonly CaaPolicy _policy;
    private readonly TimeProvider _time;

    /// <summary>Creates an evaluator.</summary>
    /// <exception cref="ArgumentException">The policy lists no issuer domain name.</exception>
    public CaaIssueMailEvaluator(ICaaLookup lookup, CaaPolicy policy, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(time);
        if (policy.IssuerDomains.Count == 0 || policy.IssuerDomains.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("The CAA policy needs at least one non-empty issuer domain name.", nameof(policy));
        }

        _lookup = lookup;
        _policy = policy;
        _time = time;
    }

    /// <summary>
    /// Checks CAA for <paramref name="mailboxDomain"/>. Success carries the decision; a refusal is
    /// <see cref="FailureKind.Caa"/> quoting the records, a lookup failure <see cref="FailureKind.Dns"/>,
    /// both with <see cref="ValidationFailure.Identifier"/> set to the domain.
    /// </summary>
    /// <param name="mailboxDomain">The domain of the mailbox address (lower-case A-labels, RFC 9495 §4).</param>
    /// <param name="accountUri">The requesting ACME account's URI, for <c>accounturi</c>; null if none.</param>
    /// <param name="ct">Cancels the lookups.</param>
    public async Task<ValidationOutcome<CaaDecision>> EvaluateAsync(string mailboxDomain, string? accountUri, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mailboxDomain);
        var domain = mailboxDomain.TrimEnd('.');
        if (domain.Length == 0 || domain.Split('.').Any(l => l.Length == 0))
        {
            throw new ArgumentException($"'{mailboxDomain}' is not a domain name.", nameof(mailboxDomain));
        }

        var checkedAt = _time.GetUtcNow();
        var allAuthenticated = true;
        var notes = new List<string>();

        // RFC 8659 §3: climb from the domain up to, but not including, the root (the TLD is queried).
        for (var name = domain; name.Length > 0; name = Parent(name))
        {
            var result = await _lookup.LookupAsync(name, ct).ConfigureAwait(false);
            if (result.Status == CaaLookupStatus.Failure)
            {
                var (retried, refusal) = await HandleFailureAsync(domain, name, result, ct).ConfigureAwait(false);
                if (refusal is not null)
                {
                    return refusal;
                }

                if (retried is null)
                {
                    notes.Add($"the lookup at {name} failed ({result.FailureMessage}) but {name} is provably DNSSEC-insecure, so it counted as empty (SBR 4.2.2.1)");
                    allAuthenticated = false;
                    continue;
                }

                result = retried;
            }

            allAuthenticated &= result.Authenticated;
            if (result.RetrievedAt is { } retrieved)
            {
                // SBR 4.2.2.1: a reused answer is a check made when it was retrieved; the decision is as old as its oldest answer.
                checkedAt = retrieved < checkedAt ? retrieved : checkedAt;
                notes.Add($"the answer for {name} was retrieved at {retrieved.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} and reused");
            }

            if (result.Status == CaaLookupStatus.NxDomain || result.Records.Count == 0)
            {
                continue;
            }

            return Judge(domain, name, result, accountUri, checkedAt, notes);
        }

        notes.Insert(0, $"no CAA records at {domain} or any parent");
        return ValidationOutcome<CaaDecision>.Success(
            new CaaDecision(true, null, [], allAuthenticated, string.Join("; ", notes), checkedAt, null));
    }

    /// <summary>
    /// A lookup failed at <paramref name="name"/>. Returns a refusal, or the result of a
    /// successful retry, or (null, null) when the failure may count as an empty answer.
    /// </summary>
    private async Task<(CaaLookupResult? Retried, ValidationFailure? Refusal)> HandleFailureAsync(
        string domain, string name, CaaLookupResult failed, CancellationToken ct)
    {
        // SBR 4.2.2.1.1: a failed lookup (a DNSSEC validation error included) is never permission by default.
        if (!_policy.AllowInsecureLookupFailure)
        {
            return (null, DnsFailure(domain, failed.FailureMessage));
        }

        // SBR 4.2.2.1 condition 2: the lookup is retried at least once.
        var retry = await _lookup.LookupAsync(name, ct).ConfigureAwait(false);
        if (retry.Status != CaaLookupStatus.Failure)
        {
            return (retry, null);
        }

        // SBR 4.2.2.1 condition 1: the failure is outside the CA's infrastructure.
        if (!retry.FailureOutsideInfrastructure)
        {
            return (null, DnsFailure(domain, $"{retry.FailureMessage} (our resolver did not answer)"));
        }

        // SBR 4.2.2.1 condition 3: the domain is DNSSEC Insecure (RFC 4035 §4.3), positively proven.
        if (!await _lookup.ProveInsecureAsync(name, ct).ConfigureAwait(false))
        {
            return (null, DnsFailure(domain, $"{retry.FailureMessage} (and {name} is not provably DNSSEC-insecure)"));
        }

        return (null, null);
    }

    private ValidationOutcome<CaaDecision> Judge(
        string domain, string name, CaaLookupResult result, string? accountUri, DateTimeOffset checkedAt, List<string> notes)
    {
        var records = result.Records;
        var where = name == domain ? name : $"{name} (relevant to {domain})";
        if (result.CanonicalName is not null)
        {
            notes.Add($"{name} is an alias of {result.CanonicalName}");
        }

        // RFC 8659 §4.1: an unknown property marked critical in the Relevant RRset forbids issuance.
        var critical = records.Where(r => r.IsCritical && !IssueMailRules.IsKnownTag(r.Tag)).ToArray();
        if (critical.Length > 0)
        {
            return CaaFailure(domain, $"{Records(critical, where)} {Verb(critical, "carries", "carry")} the critical flag on a tag this CA does not know, which forbids issuance");
        }

        var issueMail = records.Where(IssueMailRules.IsIssueMail).ToArray();

        // RFC 9495 §4: without issuemail there is no restriction; issue and issuewild do not restrict S/MIME.
        if (issueMail.Length == 0)
        {
            notes.Insert(0, $"the CAA RRset at {name} has no issuemail property");
            return Permitted(name, result, checkedAt, notes);
        }

        var reasons = new List<string>();
        foreach (var property in issueMail)
        {
            var why = IssueMailRules.WhyNotAuthorized(property, _policy, accountUri);
            if (why is null)
            {
                notes.Insert(0, $"CAA record for {name} {property.Quoted()} authorizes {Ours}");
                return Permitted(name, result, checkedAt, notes);
            }

            reasons.Add(why);
        }

        return CaaFailure(domain, $"{Records(issueMail, where)} {Verb(issueMail, "does", "do")} not authorize {Ours}: {string.Join("; ", reasons)}");
    }

    private string Ours => string.Join(" or ", _policy.IssuerDomains);

    private static ValidationOutcome<CaaDecision> Permitted(string name, CaaLookupResult result, DateTimeOffset checkedAt, List<string> notes) =>
        ValidationOutcome<CaaDecision>.Success(new CaaDecision(
            true, name, result.Records, result.Authenticated, string.Join("; ", notes), checkedAt, result.Ttl));

    private static string Records(IReadOnlyList<CaaProperty> records, string where) =>
        (records.Count == 1 ? "CAA record for " : "CAA records for ") + where + " " + string.Join(", ", records.Select(r => r.Quoted()));

    private static string Verb(IReadOnlyList<CaaProperty> records, string singular, string plural) =>
        records.Count == 1 ? singular : plural;

    private static ValidationFailure CaaFailure(string domain, string detail) =>
        new(FailureKind.Caa, detail) { Identifier = domain };

    private static ValidationFailure DnsFailure(string domain, string? message) =>
        new(FailureKind.Dns, $"CAA lookup for {domain} failed: {message}") { Identifier = domain };

    private static string Parent(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? string.Empty : name[(dot + 1)..];
    }
}
