using System.Text.Json;
using Acme.Server.Hosting;
using Acme.Server.Lifecycle;
using Acme.Server.Protocol;
using Acme.Server.Protocol.Problems;
using Acme.Server.Storage;

namespace Acme.Server.Workflows;

/// <summary>Maps storage rows to wire records; statuses are derived here with the Lifecycle rules.</summary>
public sealed class ResourceMapper(AcmeUrls urls)
{
    public AccountResource Account(AccountRow row) => new()
    {
        Status = StatusText.Of(row.Status),
        Contact = JsonSerializer.Deserialize(row.Contacts, AcmeJsonContext.Default.ListString) ?? [],
        TermsOfServiceAgreed = row.TosAgreed == 1 ? true : null,
        ExternalAccountBinding = row.EabJws is null ? null : ParseClone(row.EabJws),
        Orders = urls.AccountOrders(row.Id),
    };

    public static AuthorizationStatus EffectiveStatus(AuthorizationRow row, DateTimeOffset now) =>
        AuthorizationStatusRules.Effective(row.Status, DateTimeOffset.FromUnixTimeMilliseconds(row.Expires), now);

    public static OrderStatus DerivedStatus(OrderRow order, IReadOnlyList<AuthorizationRow> authorizations, DateTimeOffset now) =>
        OrderStatusRules.Derive(
            order.Status,
            DateTimeOffset.FromUnixTimeMilliseconds(order.Expires),
            authorizations.Select(a => EffectiveStatus(a, now)).ToList(),
            now);

    public static IReadOnlyList<string> Mailboxes(OrderRow order) =>
        JsonSerializer.Deserialize(order.Identifiers, AcmeJsonContext.Default.ListString) ?? [];

    public OrderResource Order(OrderRow order, IReadOnlyList<AuthorizationRow> authorizations, DateTimeOffset now) => new()
    {
        Status = StatusText.Of(DerivedStatus(order, authorizations, now)),
        Expires = AcmeTime.Format(order.Expires),
        Identifiers = IdentifierEcho.Identifiers(order),
        NotBefore = order.NotBefore is { } nb ? AcmeTime.Format(nb) : null,
        NotAfter = order.NotAfter is { } na ? AcmeTime.Format(na) : null,
        Profile = order.Profile,
        Replaces = order.Replaces,
        Authorizations = authorizations.Select(a => urls.Authorization(a.Id)).ToList(),
        Finalize = urls.Finalize(order.Id),
        Certificate = order.CertificateId is { } cert ? urls.Certificate(cert) : null,
        Error = ReadProblem(order.Error),
    };

    public AuthorizationResource Authorization(AuthorizationRow row, IReadOnlyList<ChallengeRow> challenges, DateTimeOffset now) => new()
    {
        Identifier = IdentifierOf(row),
        Status = StatusText.Of(EffectiveStatus(row, now)),
        Expires = AcmeTime.Format(row.Expires),
        Challenges = challenges.Select(c => Challenge(c, row)).ToList(),
    };

    /// <summary>The authorization's mailbox with the type the creating order sent (<see cref="IdentifierEcho"/>).</summary>
    public static Identifier IdentifierOf(AuthorizationRow row) => new() { Type = row.IdentifierType, Value = row.Identifier };

    /// <summary>
    /// RFC 8823 §3 step 3 and RFC 8555 §8: type, url, status, token (token-part2), from; validated and error when set.
    /// An error naming the mailbox names it with the authorization's identifier type.
    /// </summary>
    public ChallengeResource Challenge(ChallengeRow row, AuthorizationRow authorization) => new()
    {
        Type = row.Type,
        Url = urls.Challenge(row.Id),
        Status = StatusText.Of(row.Status),
        Token = row.TokenPart2,
        From = row.FromAddress,
        Validated = row.ValidatedAt is { } v ? AcmeTime.Format(v) : null,
        Error = ReadProblem(row.Error) is { } error
            ? IdentifierEcho.Relabel(error, IdentifierEcho.TypeByMailbox([IdentifierOf(authorization)]))
            : null,
    };

    private static JsonElement ParseClone(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static string WriteProblem(AcmeProblem problem) => JsonSerializer.Serialize(problem, AcmeJsonContext.Default.AcmeProblem);

    private static AcmeProblem? ReadProblem(string? json) =>
        json is null ? null : JsonSerializer.Deserialize(json, AcmeJsonContext.Default.AcmeProblem);
}
