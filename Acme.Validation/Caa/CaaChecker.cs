using Acme.Validation.Identifiers;
using Acme.Validation.Outcomes;

namespace Acme.Validation.Caa;

/// <summary>
/// Checks CAA for every mailbox of a request (SBR 4.2.2.1: each Mailbox Address separately),
/// querying each distinct domain once.
/// </summary>
/// <param name="evaluator">The per-domain evaluator.</param>
public sealed class CaaChecker(CaaIssueMailEvaluator evaluator)
{
    /// <summary>
    /// Success carries one decision per distinct mailbox domain. A failure has one
    /// <see cref="ValidationFailure.SubFailures"/> entry per refused mailbox, whose
    /// <see cref="ValidationFailure.Identifier"/> is the mailbox address; its kind is
    /// <see cref="FailureKind.Caa"/> when any mailbox was refused by CAA, otherwise
    /// <see cref="FailureKind.Dns"/>.
    /// </summary>
    /// <param name="mailboxes">The mailboxes to be certified.</param>
    /// <param name="accountUri">The requesting ACME account's URI, for <c>accounturi</c>.</param>
    /// <param name="ct">Cancels the lookups.</param>
    public async Task<ValidationOutcome<IReadOnlyDictionary<string, CaaDecision>>> CheckAsync(
        IReadOnlyList<NormalizedMailbox> mailboxes, string? accountUri, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(mailboxes);
        ArgumentNullException.ThrowIfNull(evaluator);
        var decisions = new Dictionary<string, CaaDecision>(StringComparer.OrdinalIgnoreCase);
        var refusals = new Dictionary<string, ValidationFailure>(StringComparer.OrdinalIgnoreCase);
        foreach (var domain in mailboxes.Select(m => m.Domain).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var outcome = await evaluator.EvaluateAsync(domain, accountUri, ct).ConfigureAwait(false);
            if (outcome.IsSuccess)
            {
                decisions[domain] = outcome.Value;
            }
            else
            {
                refusals[domain] = outcome.Failure;
            }
        }

        if (refusals.Count == 0)
        {
            return ValidationOutcome<IReadOnlyDictionary<string, CaaDecision>>.Success(decisions);
        }

        // SBR 4.2.2.1: each Mailbox Address is checked, and reported, separately.
        var subFailures = mailboxes
            .Where(m => refusals.ContainsKey(m.Domain))
            .Select(m => refusals[m.Domain] with { Identifier = m.Address })
            .ToArray();
        var kind = subFailures.Any(f => f.Kind == FailureKind.Caa) ? FailureKind.Caa : FailureKind.Dns;
        var detail = subFailures.Length == 1
            ? subFailures[0].Detail
            : $"CAA check refused {subFailures.Length} of {mailboxes.Count} mailboxes: {string.Join(", ", subFailures.Select(f => f.Identifier))}";
        return new ValidationFailure(kind, detail) { SubFailures = subFailures };
    }
}
