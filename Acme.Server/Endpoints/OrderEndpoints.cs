using Acme.Server.Hosting;
using Acme.Server.Jws;
using Acme.Server.Protocol;
using Acme.Server.Storage;
using Acme.Server.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Acme.Server.Endpoints;

/// <summary>newOrder, order fetch and finalize (RFC 8555 §7.4).</summary>
public static class OrderEndpoints
{
    public static IEndpointRouteBuilder MapOrderEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(AcmePaths.NewOrder, async (HttpContext context, AcmeRequestReader reader, OrderService orders, ResourceMapper mapper, AcmeUrls urls, TimeProvider time) =>
        {
            var request = await reader.ReadAsync(context, KeyMode.Kid, context.RequestAborted);
            var (order, authorizations) = await orders.NewOrderAsync(request.RequiredAccount, NewOrderRequest.Read(request.Payload), context.RequestAborted);
            return AcmeResults.Json(context, mapper.Order(order, authorizations, time.GetUtcNow()), AcmeJsonContext.Default.OrderResource,
                StatusCodes.Status201Created, urls.Order(order.Id));
        });

        app.MapPost(AcmePaths.Order, async (string id, HttpContext context, AcmeRequestReader reader, OrderService orders, ResourceMapper mapper, TimeProvider time) =>
        {
            var request = await reader.ReadAsync(context, KeyMode.Kid, context.RequestAborted);
            var (order, authorizations) = await orders.GetOrderAsync(request.RequiredAccount, id, context.RequestAborted);
            return Respond(context, mapper.Order(order, authorizations, time.GetUtcNow()), null);
        });

        app.MapPost(AcmePaths.Finalize, async (string id, HttpContext context, AcmeRequestReader reader, FinalizeService finalize, OrderService orders,
            ResourceMapper mapper, AcmeUrls urls, TimeProvider time) =>
        {
            var request = await reader.ReadAsync(context, KeyMode.Kid, context.RequestAborted);
            await finalize.FinalizeAsync(request.RequiredAccount, id, FinalizeRequest.Read(request.Payload), context.RequestAborted);
            var (order, authorizations) = await orders.GetOrderAsync(request.RequiredAccount, id, context.RequestAborted);
            return Respond(context, mapper.Order(order, authorizations, time.GetUtcNow()), urls.Order(id));
        });

        return app;
    }

    private static IResult Respond(HttpContext context, OrderResource order, string? location)
    {
        if (order.Status == StatusText.Of(OrderStatus.Processing))
        {
            AcmeResults.RetryAfter(context, TimeSpan.FromSeconds(1)); // RFC 8555 §7.4
        }

        return AcmeResults.Json(context, order, AcmeJsonContext.Default.OrderResource, location: location);
    }
}
