using Acme.Server.Hosting;
using Acme.Server.Issuance;
using Acme.Server.Jws;
using Acme.Server.Protocol.Problems;
using Acme.Server.Storage;
using Acme.Server.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Acme.Server.Endpoints;

/// <summary>Certificate download (RFC 8555 §7.4.2), revokeCert (§7.6), and the HTTP CRL and CA certificate.</summary>
public static class CertificateEndpoints
{
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapCertificateEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(AcmePaths.Certificate, async (string id, HttpContext context, AcmeRequestReader reader, Database db, ICertificateStore certificates) =>
        {
            var request = await reader.ReadAsync(context, KeyMode.Kid, context.RequestAborted);
            var certificate = await db.ReadAsync(c => certificates.FindAsync(c, id), context.RequestAborted);
            if (certificate is null || certificate.AccountId != request.RequiredAccount.Id)
            {
                throw new AcmeProblemException(AcmeProblems.NotFound($"No certificate '{id}' for this account"));
            }

            // RFC 8555 §7.4.2 and erratum 5983: the PEM chain, leaf first, one EOL between blocks.
            return Results.Text(certificate.ChainPem, "application/pem-certificate-chain");
        });

        app.MapPost(AcmePaths.RevokeCert, async (HttpContext context, AcmeRequestReader reader, RevocationService revocations) =>
        {
            var request = await reader.ReadAsync(context, KeyMode.Either, context.RequestAborted);
            // The next CRL request, at any instance, regenerates the CRL.
            await revocations.RevokeAsync(RevokeRequest.Read(request.Payload), request.Account, request.Key.Thumbprint, context.RequestAborted);
            return Results.Ok();
        });

        // Relying parties fetch these over plain HTTP; HEAD is allowed wherever GET is (RFC 9110 §9.3.2).
        app.MapMethods(AcmePaths.Crl, GetOrHead, async (HttpContext context, CrlService crls) =>
            Results.Bytes(await crls.GetAsync(context.RequestAborted), "application/pkix-crl"));

        app.MapMethods(AcmePaths.CaIssuers, GetOrHead, (CaMaterial ca) => Results.Bytes(ca.Certificate.GetEncoded(), "application/pkix-cert"));
        return app;
    }
}
