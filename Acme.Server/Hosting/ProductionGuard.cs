using Acme.Email.Dkim;
using Acme.Server.Issuance;
using Acme.Validation.Identifiers;
using Microsoft.Extensions.Options;

namespace Acme.Server.Hosting;

/// <summary>
/// Outside the Development environment the server refuses to start half-configured: no silent
/// development CA or DKIM key, an explicit <c>Acme:BaseUrl</c>, and CRL and CA-issuer URLs that relying
/// parties on the Internet can reach (SBR §7.1.2.3(b), (c)). Each failure names its setting.
/// </summary>
public static class ProductionGuard
{
    public static IReadOnlyList<string> Check(AcmeServerOptions acme, IssuanceOptions issuance, DkimSigningOptions dkim)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(issuance.CaCertificatePath) && string.IsNullOrWhiteSpace(issuance.CaKeyPath) && !issuance.Pkcs11.IsConfigured)
        {
            errors.Add("Issuance:CaCertificatePath and Issuance:CaKeyPath (or Issuance:Pkcs11) are not set; outside the Development environment the server makes no development CA (docs/production.md)");
        }

        if (string.IsNullOrWhiteSpace(dkim.KeyPath) && !dkim.Pkcs11.IsConfigured)
        {
            errors.Add("Dkim:KeyPath (or Dkim:Pkcs11) is not set; outside the Development environment the server makes no development DKIM key (docs/production.md)");
        }

        if (string.IsNullOrWhiteSpace(acme.BaseUrl))
        {
            errors.Add("Acme:BaseUrl is not set; outside the Development environment the public URL of the ACME directory must be given");
        }

        var allowInternal = issuance.AllowInternalUrls == true;
        if (string.IsNullOrEmpty(issuance.CrlUrl) || string.IsNullOrEmpty(issuance.CaIssuersUrl))
        {
            if (string.IsNullOrWhiteSpace(acme.HttpBaseUrl))
            {
                errors.Add("Acme:HttpBaseUrl is not set; outside the Development environment the public http:// URL of the CRL and CA certificate must be given (SBR 7.1.2.3)");
            }
            else
            {
                CheckReachable(errors, acme.HttpBaseUrl, "Acme:HttpBaseUrl", allowInternal);
            }
        }

        CheckReachable(errors, issuance.CrlUrl, "Issuance:CrlUrl", allowInternal);
        CheckReachable(errors, issuance.CaIssuersUrl, "Issuance:CaIssuersUrl", allowInternal);
        return errors;
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every failure.</summary>
    public static void Enforce(AcmeServerOptions acme, IssuanceOptions issuance, DkimSigningOptions dkim)
    {
        var errors = Check(acme, issuance, dkim);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException("Production", typeof(AcmeServerOptions), errors);
        }
    }

    // SBR 7.1.2.3(b), (c): the URLs go into every certificate; relying parties must be able to fetch them.
    private static void CheckReachable(List<string> errors, string? url, string setting, bool allowInternal)
    {
        if (string.IsNullOrEmpty(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return;
        }

        var kind = PublicHostNames.Icann.Classify(uri.Host);
        if (kind is HostKind.PublicIpAddress or HostKind.ReservedIpAddress)
        {
            errors.Add($"{setting} '{url}' names an IP address; the URLs put into certificates must name a public host");
        }
        else if (kind == HostKind.InternalName && !allowInternal)
        {
            errors.Add($"{setting} '{url}' names '{uri.Host}', which is loopback or not a public domain name; the URLs put into certificates must be reachable by relying parties (set Issuance:AllowInternalUrls=true only for a private PKI)");
        }
    }
}
