using Acme.Server.Hosting;
using Acme.Server.Protocol;
using Acme.Validation.Profiles;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Acme.Server.Endpoints;

/// <summary>The directory (RFC 8555 §7.1.1) and newNonce (§7.2).</summary>
public static class DirectoryEndpoints
{
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapDirectoryEndpoints(this IEndpointRouteBuilder app)
    {
        // RFC 8555 §7.1.1: the directory is fetched with GET; HEAD is allowed wherever GET is (RFC 9110 §9.3.2).
        app.MapMethods(AcmePaths.Directory, GetOrHead, (HttpContext context, AcmeUrls urls, IOptions<AcmeServerOptions> options, Acme.Validation.Caa.CaaPolicy caa) =>
        {
            var o = options.Value;
            var directory = new DirectoryResource
            {
                NewNonce = urls.NewNonce,
                NewAccount = urls.NewAccount,
                NewOrder = urls.NewOrder,
                RevokeCert = urls.RevokeCert,
                KeyChange = urls.KeyChange,
                RenewalInfo = urls.RenewalInfo,
                Meta = new DirectoryMeta
                {
                    TermsOfService = o.TermsOfService,
                    Website = o.Website,
                    CaaIdentities = caa.IssuerDomains, // requirements 2.5: our issuemail issuer domain names
                    ExternalAccountRequired = o.ExternalAccountRequired,
                    Profiles = CertificateProfiles.All.ToDictionary(p => p.Name, p => p.Description),
                },
            };
            return AcmeResults.Json(context, directory, AcmeJsonContext.Default.DirectoryResource);
        });

        // RFC 9773 §4.1: renewal information is an unauthenticated GET.
        app.MapMethods(AcmePaths.RenewalInfoItem, GetOrHead, async (string id, HttpContext context, Workflows.RenewalInfoService renewals) =>
        {
            var (start, end) = await renewals.SuggestedWindowAsync(id, context.RequestAborted);
            AcmeResults.RetryAfter(context, Workflows.RenewalInfoService.PollInterval);
            var info = new RenewalInfoResource { SuggestedWindow = new SuggestedWindow { Start = AcmeTime.Format(start), End = AcmeTime.Format(end) } };
            return AcmeResults.Json(context, info, AcmeJsonContext.Default.RenewalInfoResource);
        });

        // RFC 8555 §7.2: HEAD answers 200, GET 204, both with Cache-Control: no-store.
        app.MapMethods(AcmePaths.NewNonce, [HttpMethods.Head], (HttpContext context) => NoStore(context, StatusCodes.Status200OK));
        app.MapGet(AcmePaths.NewNonce, (HttpContext context) => NoStore(context, StatusCodes.Status204NoContent));
        return app;
    }

    private static IResult NoStore(HttpContext context, int status)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.StatusCode(status);
    }
}
