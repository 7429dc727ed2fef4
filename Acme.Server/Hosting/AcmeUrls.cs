using Microsoft.AspNetCore.Http;

namespace Acme.Server.Hosting;

/// <summary>
/// Every URL the server hands out, built from one external base URL, and the reverse parse of the
/// account URL used as <c>kid</c>. The base is resolved on first use, so a listener on port 0
/// (tests) or a configured reverse-proxy URL both work.
/// </summary>
public sealed class AcmeUrls(Func<string> baseUrl, Func<string> httpBaseUrl)
{
    private readonly Lazy<string> _base = new(() => baseUrl().TrimEnd('/'));
    private readonly Lazy<string> _httpBase = new(() => httpBaseUrl().TrimEnd('/'));

    public string Base => _base.Value;

    public string HttpBase => _httpBase.Value;

    public string Directory => Base + AcmePaths.Directory;
    public string NewNonce => Base + AcmePaths.NewNonce;
    public string NewAccount => Base + AcmePaths.NewAccount;
    public string NewOrder => Base + AcmePaths.NewOrder;
    public string RevokeCert => Base + AcmePaths.RevokeCert;
    public string KeyChange => Base + AcmePaths.KeyChange;
    public string RenewalInfo => Base + AcmePaths.RenewalInfo;

    public string Account(string id) => $"{Base}/acct/{id}";
    public string AccountOrders(string id) => $"{Base}/acct/{id}/orders";
    public string Order(string id) => $"{Base}/order/{id}";
    public string Finalize(string id) => $"{Base}/order/{id}/finalize";
    public string Authorization(string id) => $"{Base}/authz/{id}";
    public string Challenge(string id) => $"{Base}/chall/{id}";
    public string Certificate(string id) => $"{Base}/cert/{id}";

    /// <summary>HTTP URL of the issuing CA's CRL (SBR 7.1.2.3 b: HTTP scheme).</summary>
    public string CrlUrl => HttpBase + AcmePaths.Crl;

    /// <summary>HTTP URL of the issuing CA certificate (SBR 7.1.2.3 c: HTTP scheme).</summary>
    public string CaIssuersUrl => HttpBase + AcmePaths.CaIssuers;

    /// <summary>The URL a request was sent to, as the client must have put it in the JWS <c>url</c> (RFC 8555 §6.4).</summary>
    public string RequestUrl(HttpRequest request) => Base + request.Path.Value + request.QueryString.Value;

    /// <summary>Parses <c>{base}/acct/{id}</c>; false for anything else.</summary>
    public bool TryParseAccountUrl(string? url, out string id)
    {
        id = string.Empty;
        var prefix = Base + "/acct/";
        if (url is null || !url.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        id = url[prefix.Length..];
        return ResourceIds.IsWellFormed(id);
    }
}
