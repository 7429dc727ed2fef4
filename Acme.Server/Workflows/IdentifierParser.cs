using System.Text.Json;
using Acme.Server.Protocol;
using Acme.Server.Protocol.Problems;
using Acme.Validation.Identifiers;
using Acme.Validation.Outcomes;

namespace Acme.Server.Workflows;

/// <summary>
/// Reads newOrder's <c>identifiers</c> (RFC 8555 §7.4): only <c>email</c> (RFC 8823 §3), each
/// normalized; every refused identifier becomes a subproblem naming it (RFC 8555 §6.7.1). Each mailbox
/// keeps the type it was sent as, which every resource echoes (<see cref="IdentifierEcho"/>).
/// </summary>
public static class IdentifierParser
{
    /// <summary>Reads a newOrder payload (<see cref="NewOrderRequest.Read"/>) and parses its identifiers.</summary>
    public static IReadOnlyList<RequestedMailbox> Parse(JsonElement payload, int maxIdentifiers, bool rewriteDnsWithAt, NormalizedMailbox challengeMailbox) =>
        Parse(NewOrderRequest.Read(payload).Identifiers, maxIdentifiers, rewriteDnsWithAt, challengeMailbox);

    /// <param name="list">The identifiers as the client sent them.</param>
    /// <param name="maxIdentifiers">The most identifiers one order may hold.</param>
    /// <param name="rewriteDnsWithAt">Take <c>dns</c> identifiers holding an address as mailboxes (acme_email).</param>
    /// <param name="challengeMailbox">The mailbox challenge mails come from and replies go to: never certified.</param>
    public static IReadOnlyList<RequestedMailbox> Parse(IReadOnlyList<Identifier> list, int maxIdentifiers, bool rewriteDnsWithAt, NormalizedMailbox challengeMailbox)
    {
        if (list.Count == 0)
        {
            throw new AcmeProblemException(AcmeProblems.Malformed("newOrder needs a non-empty 'identifiers' array"));
        }

        if (list.Count > maxIdentifiers)
        {
            throw new AcmeProblemException(AcmeProblems.RejectedIdentifier($"An order may hold at most {maxIdentifiers} identifiers"));
        }

        var mailboxes = new List<RequestedMailbox>();
        var failures = new List<(ValidationFailure Failure, string Type)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (type, value) in list.Select(i => (i.Type, i.Value)))
        {
            // opt-in compatibility for acme_email (client-interop 2.3): a dns identifier holding an address is a mailbox
            var isMailbox = type == IdentifierTypes.Email || (type == IdentifierTypes.Dns && rewriteDnsWithAt && value.Contains('@'));
            if (!isMailbox)
            {
                failures.Add((new ValidationFailure(FailureKind.UnsupportedIdentifier,
                    $"Identifier type '{type}' is not supported; this server issues S/MIME certificates for 'email' identifiers only") { Identifier = value }, type));
                continue;
            }

            var outcome = MailboxNormalizer.Normalize(value);
            if (!outcome.IsSuccess)
            {
                failures.Add((outcome.Failure, type));
            }
            else if (outcome.Value.SharesInboxWith(challengeMailbox))
            {
                // The server reads this inbox for replies: a challenge sent there would answer itself.
                failures.Add((new ValidationFailure(FailureKind.RejectedIdentifier,
                    $"'{value}' is this CA's own challenge mailbox ({challengeMailbox.Address}) or one of its plus forms; it cannot be certified") { Identifier = value }, type));
            }
            else if (!seen.Add(outcome.Value.Address))
            {
                failures.Add((new ValidationFailure(FailureKind.Malformed, $"'{value}' appears more than once in the order") { Identifier = value }, type));
            }
            else
            {
                mailboxes.Add(new RequestedMailbox(outcome.Value, type));
            }
        }

        if (failures.Count > 0)
        {
            throw new AcmeProblemException(Combine(failures));
        }

        return mailboxes;
    }

    private static AcmeProblem Combine(List<(ValidationFailure Failure, string Type)> failures)
    {
        // RFC 8555 §6.7.1: each subproblem names the identifier as the client sent it, type included.
        var subproblems = failures.Select(f => AcmeProblems.FromFailure(f.Failure) with
        {
            Identifier = new Identifier { Type = f.Type, Value = f.Failure.Identifier ?? string.Empty },
        }).ToList();
        var kinds = failures.Select(f => f.Failure.Kind).Distinct().ToList();
        var detail = $"{failures.Count} identifier(s) refused: " + string.Join("; ", failures.Select(f => f.Failure.Detail));
        var top = kinds.Count == 1 ? AcmeProblems.FromFailure(new ValidationFailure(kinds[0], detail)) : AcmeProblems.RejectedIdentifier(detail);
        return top with { Subproblems = subproblems };
    }
}
