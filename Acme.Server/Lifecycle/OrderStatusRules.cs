using Acme.Server.Protocol;

namespace Acme.Server.Lifecycle;

/// <summary>The one function that derives an order's status (RFC 8555 §7.1.6).</summary>
public static class OrderStatusRules
{
    /// <summary>
    /// Derives the status a client sees, from the stored status, the order's expiry and the
    /// effective statuses of its authorizations. Rules, first match wins:
    /// <list type="number">
    /// <item>stored <c>valid</c> or <c>invalid</c> is final;</item>
    /// <item>an order past its <c>expires</c> that is not valid is <c>invalid</c>;</item>
    /// <item>stored <c>processing</c> stays <c>processing</c> (finalization under way);</item>
    /// <item>any authorization invalid, deactivated, expired or revoked makes it <c>invalid</c>;</item>
    /// <item>all authorizations valid makes it <c>ready</c>;</item>
    /// <item>otherwise <c>pending</c>.</item>
    /// </list>
    /// </summary>
    public static OrderStatus Derive(OrderStatus stored, DateTimeOffset expires, IReadOnlyCollection<AuthorizationStatus> authorizations, DateTimeOffset now)
    {
        if (stored is OrderStatus.Valid or OrderStatus.Invalid)
        {
            return stored;
        }

        if (now >= expires)
        {
            return OrderStatus.Invalid;
        }

        if (stored == OrderStatus.Processing)
        {
            return OrderStatus.Processing;
        }

        if (authorizations.Any(a => a is AuthorizationStatus.Invalid or AuthorizationStatus.Deactivated or AuthorizationStatus.Expired or AuthorizationStatus.Revoked))
        {
            return OrderStatus.Invalid;
        }

        return authorizations.Count > 0 && authorizations.All(a => a == AuthorizationStatus.Valid)
            ? OrderStatus.Ready
            : OrderStatus.Pending;
    }
}
