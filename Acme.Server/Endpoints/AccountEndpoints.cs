using Acme.Server.Hosting;
using Acme.Server.Jws;
using Acme.Server.Protocol;
using Acme.Server.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Acme.Server.Endpoints;

/// <summary>newAccount, account update/deactivation, the orders list and keyChange (RFC 8555 §7.3).</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(AcmePaths.NewAccount, async (HttpContext context, AcmeRequestReader reader, AccountService accounts, ResourceMapper mapper, AcmeUrls urls) =>
        {
            var request = await reader.ReadAsync(context, KeyMode.Jwk, context.RequestAborted);
            var (account, created) = await accounts.NewAccountAsync(request, context.RequestAborted);
            return AcmeResults.Json(context, mapper.Account(account), AcmeJsonContext.Default.AccountResource,
                created ? StatusCodes.Status201Created : StatusCodes.Status200OK, urls.Account(account.Id));
        });

        app.MapPost(AcmePaths.Account, async (string id, HttpContext context, AcmeRequestReader reader, AccountService accounts, ResourceMapper mapper) =>
        {
            var request = await reader.ReadAsync(context, KeyMode.Kid, context.RequestAborted);
            var account = await accounts.UpdateAsync(request, id, context.RequestAborted);
            return AcmeResults.Json(context, mapper.Account(account), AcmeJsonContext.Default.AccountResource);
        });

        app.MapPost(AcmePaths.AccountOrders, async (string id, string? cursor, HttpContext context, AcmeRequestReader reader, OrderService orders, AcmeUrls urls) =>
        {
            var request = await reader.ReadAsync(context, KeyMode.Kid, context.RequestAborted);
            var (ids, next) = await orders.ListOrdersAsync(request.RequiredAccount, id, cursor, context.RequestAborted);
            if (next is not null)
            {
                // RFC 8555 §7.1.2.1: further pages are linked with rel="next".
                AcmeResults.Link(context, urls.AccountOrders(id) + "?cursor=" + next, "next");
            }

            return AcmeResults.Json(context, new OrdersListResource { Orders = ids.Select(urls.Order).ToList() }, AcmeJsonContext.Default.OrdersListResource);
        });

        app.MapPost(AcmePaths.KeyChange, async (HttpContext context, AcmeRequestReader reader, KeyChangeService keys, ResourceMapper mapper, AcmeUrls urls) =>
        {
            var request = await reader.ReadAsync(context, KeyMode.Kid, context.RequestAborted);
            var account = await keys.ChangeKeyAsync(request, context.RequestAborted);
            return AcmeResults.Json(context, mapper.Account(account), AcmeJsonContext.Default.AccountResource, location: urls.Account(account.Id));
        });

        return app;
    }
}
