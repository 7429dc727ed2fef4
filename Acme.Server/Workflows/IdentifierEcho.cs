using System.Text.Json;
using Acme.Server.Protocol;
using Acme.Server.Protocol.Problems;
using Acme.Server.Storage;
using Acme.Validation.Identifiers;

namespace Acme.Server.Workflows;

/// <summary>A mailbox of a newOrder with the identifier type the client sent it as.</summary>
public sealed record RequestedMailbox(NormalizedMailbox Mailbox, string SentType);

/// <summary>
/// Every resource shows an identifier with the type the client sent. Inside (storage, CAA, mail, certificate)
/// each identifier is a mailbox; only under <c>Acme:RewriteDnsIdentifiersWithAt</c> can that type be <c>dns</c>
/// (acme_email), whose ACME library (python3-acme) cannot read an identifier type it does not know. The value
/// shown is the normalized mailbox, as for <c>email</c> identifiers.
/// </summary>
public static class IdentifierEcho
{
    /// <summary>The types of an order's mailboxes, in order; entries missing in older rows are <c>email</c>.</summary>
    public static IReadOnlyList<string> Types(OrderRow order)
    {
        var mailboxes = ResourceMapper.Mailboxes(order);
        var types = JsonSerializer.Deserialize(order.IdentifierTypes, AcmeJsonContext.Default.ListString) ?? [];
        return mailboxes.Select((_, i) => i < types.Count ? types[i] : IdentifierTypes.Email).ToList();
    }

    public static string WriteTypes(IEnumerable<RequestedMailbox> requested) =>
        JsonSerializer.Serialize(requested.Select(r => r.SentType).ToList(), AcmeJsonContext.Default.ListString);

    /// <summary>The order's mailboxes with the types they were sent as.</summary>
    public static IReadOnlyList<Identifier> Identifiers(OrderRow order) =>
        ResourceMapper.Mailboxes(order).Zip(Types(order), (m, t) => new Identifier { Type = t, Value = m }).ToList();

    /// <summary>Type by mailbox, to relabel the identifiers in problems about these mailboxes.</summary>
    public static IReadOnlyDictionary<string, string> TypeByMailbox(IEnumerable<Identifier> identifiers) =>
        identifiers.GroupBy(i => i.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Type, StringComparer.Ordinal);

    /// <summary>
    /// The problem with each <c>email</c> identifier that names one of these mailboxes shown with the mailbox's sent
    /// type, subproblems included (RFC 8555 §6.7.1: a subproblem names the identifier the client asked for).
    /// </summary>
    public static AcmeProblem Relabel(AcmeProblem problem, IReadOnlyDictionary<string, string> typeByMailbox) => problem with
    {
        Identifier = problem.Identifier is { Type: IdentifierTypes.Email } id && typeByMailbox.TryGetValue(id.Value, out var type)
            ? id with { Type = type }
            : problem.Identifier,
        Subproblems = problem.Subproblems?.Select(s => Relabel(s, typeByMailbox)).ToList(),
    };
}
