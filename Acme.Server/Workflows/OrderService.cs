using System.Security.Cryptography;
using System.Text.Json;
using Acme.Server.Hosting;
using Acme.Server.Issuance;
using Acme.Server.Jws;
using Acme.Server.Protocol;
using Acme.Server.Protocol.Problems;
using Acme.Server.Storage;
using Acme.Validation.Codecs;
using Acme.Validation.Identifiers;
using Acme.Validation.Profiles;
using Microsoft.Extensions.Options;

namespace Acme.Server.Workflows;

/// <summary>newOrder with authorization creation or reuse, order fetch and the orders list (RFC 8555 §7.4, §7.1.2.1).</summary>
public sealed class OrderService(
    Database db, IOrderStore orders, IOptions<AcmeServerOptions> options,
    IOptions<IssuanceOptions> issuance, MailLimits limits, ChallengeAddressFactory addresses, RenewalInfoService renewals, IAuditStore audit, CaaService caa, TimeProvider time)
{
    private readonly AcmeServerOptions _options = options.Value;

    /// <summary>newOrder for an authenticated account (RFC 8555 §7.4).</summary>
    public async Task<(OrderRow Order, IReadOnlyList<AuthorizationRow> Authorizations)> NewOrderAsync(AccountRow account, NewOrderRequest request, CancellationToken ct)
    {
        var requested = IdentifierParser.Parse(request.Identifiers, _options.MaxIdentifiersPerOrder, _options.RewriteDnsIdentifiersWithAt, addresses.Mailbox);
        var mailboxes = requested.Select(r => r.Mailbox).ToList();
        var profile = ResolveProfile(request.Profile);
        var now = time.GetUtcNow();
        var (notBefore, notAfter) = ValidityWindow.Check(request.NotBefore, request.NotAfter, now, issuance.Value.ValidityDays);

        var orderId = ResourceIds.New(now);
        var order = new OrderRow
        {
            Id = orderId,
            AccountId = account.Id,
            Status = OrderStatus.Pending,
            NotBefore = notBefore?.ToUnixTimeMilliseconds(),
            NotAfter = notAfter?.ToUnixTimeMilliseconds(),
            Profile = profile.Name,
            Identifiers = JsonSerializer.Serialize(mailboxes.Select(m => m.Address).ToList(), AcmeJsonContext.Default.ListString),
            IdentifierTypes = IdentifierEcho.WriteTypes(requested),
            CreatedAt = now.ToUnixTimeMilliseconds(),
        };

        // SBR 4.2.2.1, RFC 9495: CAA issuemail for every mailbox domain, before anything is created.
        var caaCheck = await caa.CheckAsync(account.Id, mailboxes, orderId, IdentifierEcho.Identifiers(order), ct);
        var replaces = request.Replaces;
        order.CaaCheckedAt = caaCheck?.CheckedAt;
        order.CaaValidUntil = caaCheck?.ValidUntil;
        var authorizations = await db.WriteAsync(async (c, tx) =>
        {
            if (replaces is not null)
            {
                order.Replaces = await renewals.CheckReplacesAsync(c, tx, replaces, account.Id, mailboxes.Select(m => m.Address).ToList(), ct);
            }

            var list = new List<AuthorizationRow>();
            var events = new List<AuditEvent>();
            foreach (var (mailbox, sentType) in requested)
            {
                // Reuse a valid authorization only (A13: 30 days); a pending one would reuse its Random
                // Value for another certificate request, which SBR 3.2.2.4 forbids. Only one created for the
                // same identifier type, so the authorizations of an order show the type the order sent.
                var reusable = await orders.FindReusableAuthorizationAsync(c, tx, account.Id, mailbox.Address, sentType, now.ToUnixTimeMilliseconds());
                list.Add(reusable ?? await CreateAuthorizationAsync(c, tx, account.Id, mailbox, sentType, now, events));
            }

            var earliest = list.Min(a => a.Expires);
            order.Expires = Math.Min(now.Add(_options.OrderLifetime).ToUnixTimeMilliseconds(), earliest);
            if (list.All(a => a.Status == AuthorizationStatus.Valid))
            {
                order.Status = OrderStatus.Ready; // every mailbox already validated: created ready
            }

            await orders.InsertOrderAsync(c, tx, order, list.Select(a => a.Id).ToList());
            if (caaCheck is not null)
            {
                events.Add(caaCheck.Evidence);
            }

            events.Add(new AuditEvent("order.created", "account:" + account.Id,
                $"mailboxes {order.Identifiers}; profile {order.Profile}; authorizations {string.Join(",", list.Select(a => a.Id))}" +
                (order.Replaces is null ? string.Empty : $"; replaces {order.Replaces}")) { AccountId = account.Id, OrderId = order.Id });
            await audit.AppendAsync(c, tx, events);
            return list;
        }, ct);

        return (order, authorizations);
    }

    /// <summary>The order and its authorizations, when it belongs to <paramref name="account"/>.</summary>
    public async Task<(OrderRow Order, IReadOnlyList<AuthorizationRow> Authorizations)> GetOrderAsync(AccountRow account, string orderId, CancellationToken ct)
    {
        var order = await db.ReadAsync(c => orders.FindOrderAsync(c, orderId), ct);
        if (order is null || order.AccountId != account.Id)
        {
            throw new AcmeProblemException(AcmeProblems.NotFound($"No order '{orderId}' for this account"));
        }

        return (order, await db.ReadAsync(c => orders.AuthorizationsOfOrderAsync(c, orderId), ct));
    }

    /// <summary>One page of the account's orders; the cursor is opaque to clients.</summary>
    public async Task<(IReadOnlyList<string> OrderIds, string? NextCursor)> ListOrdersAsync(AccountRow account, string accountId, string? cursor, CancellationToken ct)
    {
        if (account.Id != accountId)
        {
            throw new AcmeProblemException(AcmeProblems.Unauthorized("The orders list belongs to a different account"));
        }

        var (beforeAt, beforeId) = OrdersCursor.Decode(cursor);
        var page = await db.ReadAsync(c => orders.ListOrdersAsync(c, accountId, beforeAt, beforeId, _options.OrdersPageSize + 1), ct);
        var next = page.Count > _options.OrdersPageSize ? OrdersCursor.Encode(page[_options.OrdersPageSize - 1]) : null;
        return (page.Take(_options.OrdersPageSize).Select(p => p.Id).ToList(), next);
    }

    private CertificateProfile ResolveProfile(string? name)
    {
        var chosen = name ?? _options.DefaultProfile;
        return CertificateProfiles.TryGet(chosen, out var profile)
            ? profile
            : throw new AcmeProblemException(AcmeProblems.InvalidProfile(
                $"Unknown profile '{chosen}'; this server offers: {string.Join(", ", CertificateProfiles.All.Select(p => p.Name))}"));
    }

    private async Task<AuthorizationRow> CreateAuthorizationAsync(
        System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, string accountId, NormalizedMailbox mailbox, string sentType, DateTimeOffset now,
        List<AuditEvent> events)
    {
        await limits.CheckAsync(c, tx, accountId, mailbox, now);
        var authorization = new AuthorizationRow
        {
            Id = ResourceIds.New(now),
            AccountId = accountId,
            Identifier = mailbox.Address,
            IdentifierType = sentType,
            RecipientKey = mailbox.RecipientKey,
            RecipientDomain = mailbox.Domain,
            Status = AuthorizationStatus.Pending,
            Expires = now.Add(_options.PendingAuthorizationLifetime).ToUnixTimeMilliseconds(),
            CreatedAt = now.ToUnixTimeMilliseconds(),
        };
        var challenge = new ChallengeRow
        {
            Id = ResourceIds.New(now),
            AuthorizationId = authorization.Id,
            Type = ChallengeTypes.EmailReply00,
            Status = ChallengeStatus.Pending,
            // RFC 8823 §3 step 3, SBR 3.2.2.4: token-part2 carries 128 bits from a CSPRNG, unpadded base64url.
            TokenPart2 = StrictBase64Url.Encode(RandomNumberGenerator.GetBytes(16)),
            FromAddress = addresses.NewFromAddress(),
            CreatedAt = now.ToUnixTimeMilliseconds(),
        };
        await orders.InsertAuthorizationAsync(c, tx, authorization, challenge);
        events.Add(new AuditEvent("authorization.created", "account:" + accountId,
            $"mailbox {mailbox.Address}; challenge {challenge.Id} email-reply-00 from {challenge.FromAddress}; token-part2 created (128 bits)")
            { AccountId = accountId, AuthorizationId = authorization.Id, ChallengeId = challenge.Id });
        return authorization;
    }
}
