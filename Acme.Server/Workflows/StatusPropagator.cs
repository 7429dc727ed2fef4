using System.Data.Common;
using Acme.Server.Protocol;
using Acme.Server.Storage;
using Microsoft.Extensions.Options;
using Acme.Server.Hosting;

namespace Acme.Server.Workflows;

/// <summary>
/// Carries a challenge or authorization change up to the authorization and its orders, inside the
/// caller's transaction, always through <see cref="StatusWriter"/> compare-and-set edges.
/// </summary>
public sealed class StatusPropagator(IOrderStore orders, IOptions<AcmeServerOptions> options)
{
    /// <summary>RFC 8555 §7.1.6: a valid challenge makes its pending authorization valid; orders whose authorizations are all valid become ready.</summary>
    public async Task ChallengeValidAsync(DbConnection c, DbTransaction tx, string authorizationId, DateTimeOffset now)
    {
        // A valid authorization carries expires (RFC 8555 §7.1.4); reuse is capped at 30 days (requirements A13).
        var expires = now.Add(options.Value.ValidAuthorizationLifetime).ToUnixTimeMilliseconds();
        await orders.SetAuthorizationValidAsync(c, tx, authorizationId, now.ToUnixTimeMilliseconds(), expires);

        foreach (var orderId in await orders.OrderIdsOfAuthorizationAsync(c, tx, authorizationId))
        {
            var order = await orders.FindOrderAsync(c, orderId, tx);
            if (order is null || order.Status != OrderStatus.Pending)
            {
                continue;
            }

            var authorizations = await orders.AuthorizationsOfOrderAsync(c, orderId, tx);
            if (ResourceMapper.DerivedStatus(order, authorizations, now) == OrderStatus.Ready)
            {
                await orders.SetOrderReadyAsync(c, tx, orderId);
            }
        }
    }

    /// <summary>RFC 8555 §7.1.6: an invalid challenge makes its authorization invalid, and its unfinished orders invalid.</summary>
    public async Task ChallengeInvalidAsync(DbConnection c, DbTransaction tx, string authorizationId)
    {
        await orders.SetAuthorizationInvalidAsync(c, tx, authorizationId);
        await InvalidateOrdersAsync(c, tx, authorizationId);
    }

    /// <summary>Orders that still wait on this authorization can no longer complete.</summary>
    public async Task InvalidateOrdersAsync(DbConnection c, DbTransaction tx, string authorizationId)
    {
        foreach (var orderId in await orders.OrderIdsOfAuthorizationAsync(c, tx, authorizationId))
        {
            if (!await orders.SetOrderInvalidAsync(c, tx, orderId, OrderStatus.Pending, null))
            {
                await orders.SetOrderInvalidAsync(c, tx, orderId, OrderStatus.Ready, null);
            }
        }
    }
}
